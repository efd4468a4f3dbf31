// journal-step, the action run most often: what one run costs on GitHub as the thread grows, for an
// issue bound to a sandbox and for one journaled without a sandbox; and its wall time against the
// least a commenting action can be (baseline-action.ts), side by side against the same emulator.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runProcess } from '../../test/support/process.js';
import { githubCost, githubOperations, median, type GitHubCost } from './stats.js';
import { GITHUB_TOKEN, startBenchWorld, type BenchWorld } from './world.js';

export const THREAD_LENGTHS = [0, 1_000, 5_000];

export interface JournalCost {
  comments: number;
  binding: 'bound' | 'unbound';
  /** The first step on the issue (creates the status comment, or finds it by walking the thread). */
  first: GitHubCost;
  /** The next step: what every later run costs. */
  next: GitHubCost;
  /** The next step's requests by operation. */
  nextOperations: string;
}

async function step(
  world: BenchWorld,
  payload: unknown,
  message: string,
): Promise<GitHubCost & { operations: string }> {
  const before = world.github.requests.length;
  const run = await world.run('journal-step', { payload, inputs: { message } });
  if (run.exitCode !== 0) throw new Error(`journal-step exited ${run.exitCode}:\n${run.stdout}`);
  const entries = world.github.requests.slice(before);
  return { ...githubCost(entries), operations: githubOperations(entries) };
}

export async function measureJournalCosts(comments: number): Promise<JournalCost[]> {
  const world = await startBenchWorld();
  try {
    // The thread is long before the journal starts: the comments come before provision (bound) and
    // before the first step (unbound). A burst of comments between two steps is another figure: the
    // step after it reads what was written since the last event, once (docs/design.md).
    const unbound = world.addIssue(world.issue + 1);
    for (const payload of [world.opened, unbound])
      world.github.seedComments(world.repo, payload.issue.number, comments, (i) => `older chatter ${i}`);
    const provisioned = await world.run('provision-sandbox');
    if (provisioned.exitCode !== 0) throw new Error(`provision-sandbox failed:\n${provisioned.stdout}`);
    const results: JournalCost[] = [];
    for (const [binding, payload] of [
      ['bound', world.opened],
      ['unbound', unbound],
    ] as const) {
      const { operations: _first, ...first } = await step(world, payload, 'first bench step');
      const { operations: nextOperations, ...next } = await step(world, payload, 'next bench step');
      results.push({ comments, binding, first, next, nextOperations });
    }
    return results;
  } finally {
    await world.close();
  }
}

export interface WallTime {
  runs: number;
  journalMs: number;
  baselineMs: number;
  ratio: number;
  /** Requests per run, to show the work behind the time. */
  journalRequests: number;
  baselineRequests: number;
}

/** Runs journal-step and the baseline bundle in turn, `runs` times each, on a bound issue. */
export async function measureWallTime(baselineBundle: string, runs: number): Promise<WallTime> {
  const world = await startBenchWorld();
  const work = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
  try {
    const provisioned = await world.run('provision-sandbox');
    if (provisioned.exitCode !== 0) throw new Error(`provision-sandbox failed:\n${provisioned.stdout}`);
    const eventPath = join(work, 'event.json');
    writeFileSync(eventPath, JSON.stringify(world.opened));
    const baselineEnv = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? work,
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: world.repo,
      GITHUB_API_URL: world.github.url,
      GITHUB_EVENT_NAME: 'issues',
      GITHUB_EVENT_PATH: eventPath,
      'INPUT_GITHUB-TOKEN': GITHUB_TOKEN,
      INPUT_MESSAGE: 'baseline comment',
    };
    await step(world, world.opened, 'warm-up step'); // the status comment exists from here on
    const journal: number[] = [];
    const baseline: number[] = [];
    let journalRequests = 0;
    let baselineRequests = 0;
    for (let n = 0; n < runs; n++) {
      let before = world.github.requests.length;
      let started = performance.now();
      await step(world, world.opened, `timed step ${n}`);
      journal.push(performance.now() - started);
      journalRequests += world.github.requests.length - before;
      before = world.github.requests.length;
      started = performance.now();
      const run = await runProcess(process.execPath, [baselineBundle], { cwd: work, env: baselineEnv });
      baseline.push(performance.now() - started);
      baselineRequests += world.github.requests.length - before;
      if (run.exitCode !== 0) throw new Error(`the baseline action failed:\n${run.stdout}${run.stderr}`);
    }
    const journalMs = median(journal);
    const baselineMs = median(baseline);
    return {
      runs,
      journalMs,
      baselineMs,
      ratio: journalMs / baselineMs,
      journalRequests: journalRequests / runs,
      baselineRequests: baselineRequests / runs,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await world.close();
  }
}
