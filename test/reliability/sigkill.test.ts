/**
 * Crashes for real (issue 10, part 3): the committed bundles, run as the Actions runner runs them,
 * are killed with SIGKILL at every step boundary of provision, deploy, destroy and journal-step,
 * then run again. A step boundary is a write (a GitHub POST/PATCH/PUT/DELETE or GraphQL mutation, a
 * Railway mutation): the emulator carries the write out and never answers (fault `hang`), and the
 * test kills the process that waits for the answer. Between two writes a run only reads, so a kill
 * there leaves what a kill after the earlier write leaves. test/integration/crash-rerun.test.ts
 * does the same in-process, faster; this file proves the bundles survive a real kill (no `finally`,
 * no flushed buffers, no exit handler).
 *
 * After the re-run: exactly one service (none after destroy), the mapping agrees with Railway, no
 * event comment twice, one status comment; a re-run of the finished run writes nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { findBinding, findEventMarker, findStatusMarker, parseFarm } from '@trinity/core';
import type { GitHubEmulator } from '../emulators/github/index.js';
import type { RailwayEmulator } from '../emulators/railway/index.js';
import { startWorld, type World } from '../support/e2e-world.js';
import { issuesPayload } from '../support/webhook-payloads.js';

type Step = (w: World) => Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>;

const opened = () => issuesPayload('opened');
/** webhooks-examples has no `issues.closed`; its `reopened` example, as closed, is the same shape. */
const closedPayload = () => {
  const payload = issuesPayload('reopened');
  payload.action = 'closed';
  return payload;
};

const provision: Step = (w) => w.run('provision-sandbox', { payload: opened() });
const deploy: Step = (w) => w.run('deploy-sandbox', { payload: opened() });
const journal: Step = (w) =>
  w.run('journal-step', { payload: opened(), inputs: { message: 'Ran the test suite: 42 passed' } });
const destroy: Step = (w) => w.run('destroy-sandbox', { payload: closedPayload() });
const close: Step = (w) => {
  w.github.setIssueState(w.repo, w.issue, 'closed');
  return Promise.resolve({ exitCode: 0, signal: null });
};

interface Story {
  before: Step[];
  action: Step;
  /** The name of the action's bundle, for the figures. */
  name: string;
  services: number;
  events: string[];
}

const STORIES: Record<string, Story> = {
  provision: {
    before: [],
    action: provision,
    name: 'provision-sandbox',
    services: 1,
    events: ['sandbox_created'],
  },
  deploy: {
    before: [provision],
    action: deploy,
    name: 'deploy-sandbox',
    services: 1,
    events: ['sandbox_created', 'deployment_started', 'deployment_succeeded'],
  },
  'journal-step': {
    before: [provision],
    action: journal,
    name: 'journal-step',
    services: 1,
    events: ['sandbox_created', 'step_completed'],
  },
  destroy: {
    before: [provision, deploy, close],
    action: destroy,
    name: 'destroy-sandbox',
    services: 0,
    events: ['sandbox_created', 'deployment_succeeded', 'sandbox_destroyed'],
  },
};

/** One write, named so that a fault can be armed for it: the n-th request of its operation. */
interface Write {
  service: 'github' | 'railway';
  operation: string;
  nth: number;
}

/** The writes made since the given positions of the two request logs. */
function writesSince(w: World, from: { github: number; railway: number }): Write[] {
  const writes: Write[] = [];
  const count = new Map<string, number>();
  const add = (service: Write['service'], operation: string) => {
    const key = `${service} ${operation}`;
    const nth = (count.get(key) ?? 0) + 1;
    count.set(key, nth);
    writes.push({ service, operation, nth });
  };
  for (const r of w.github.requests.slice(from.github)) {
    const operation = r.operationId ?? '';
    if (operation === 'graphql/mutation' || (r.method !== 'GET' && !operation.startsWith('graphql')))
      add('github', operation);
  }
  for (const r of w.railway.requests.slice(from.railway))
    if (/^\s*mutation\b/.test(r.query)) add('railway', r.operation ?? '');
  return writes;
}

const positions = (w: World) => ({ github: w.github.requests.length, railway: w.railway.requests.length });

function armHang(w: World, write: Write): () => boolean {
  const from = positions(w);
  if (write.service === 'github')
    w.github.injectFault({
      operationId: write.operation,
      nth: write.nth,
      kind: 'hang',
      afterExecution: true,
    });
  else
    w.railway.injectFault({ operation: write.operation, nth: write.nth, kind: 'hang', afterExecution: true });
  const held = (log: GitHubEmulator['requests'] | RailwayEmulator['requests'], start: number) =>
    log.slice(start).some((r) => r.fault === 'hang');
  return () =>
    write.service === 'github'
      ? held(w.github.requests, from.github)
      : held(w.railway.requests, from.railway);
}

/** What must hold after a killed run and its re-run: the mapping agrees with Railway, nothing twice. */
function problemsOf(w: World, story: Story): string[] {
  const problems: string[] = [];
  const services = w.railway.state.services(w.projectId).map((s) => s.id);
  const text = w.github.repo(w.repo).readFile('.trinity/railway_farm.json');
  const bound = text === undefined ? undefined : findBinding(parseFarm(text, 'farm'), w.issue);
  if (services.length !== story.services) problems.push(`${services.length} services, not ${story.services}`);
  if (bound !== undefined && !services.includes(bound.service_id))
    problems.push(`the row names ${bound.service_id}, which Railway does not hold`);
  for (const id of services) if (bound?.service_id !== id) problems.push(`service ${id} unrecorded`);
  const comments = w.github.repo(w.repo).comments(w.issue);
  const keys = comments.flatMap((c) => findEventMarker(c.body)?.key ?? []);
  const twice = keys.filter((key, i) => keys.indexOf(key) !== i);
  if (twice.length > 0) problems.push(`comments twice: ${twice.join(', ')}`);
  const statuses = comments.filter((c) => findStatusMarker(c.body) !== undefined).length;
  if (statuses !== 1) problems.push(`${statuses} status comments`);
  const types: string[] = comments.flatMap((c) => findEventMarker(c.body)?.type ?? []);
  for (const type of story.events) if (!types.includes(type)) problems.push(`no ${type} comment`);
  return problems;
}

const figures: string[] = [];
afterAll(() => {
  console.log(`SIGKILL and re-run, the committed bundles (issue 10, part 3):\n${figures.join('\n')}`);
});

describe('a bundle killed with SIGKILL at any step boundary, then run again', () => {
  for (const [name, story] of Object.entries(STORIES)) {
    it(`${name}: one service (none after destroy), the mapping agrees with Railway, nothing posted twice`, async () => {
      // The clean run: the boundaries to kill at.
      const clean = await startWorld(opened());
      let writes: Write[];
      try {
        for (const step of story.before) expect((await step(clean)).exitCode).toBe(0);
        const from = positions(clean);
        expect((await story.action(clean)).exitCode).toBe(0);
        writes = writesSince(clean, from);
      } finally {
        await clean.close();
      }
      expect(writes.length).toBeGreaterThan(0);

      const lost: string[] = [];
      for (const write of writes) {
        const w = await startWorld(opened());
        const at = `${write.service} ${write.operation} #${write.nth}`;
        try {
          for (const step of story.before) expect((await step(w)).exitCode).toBe(0);
          const held = armHang(w, write);
          const killed = await w.run(story.name, {
            payload: story.name === 'destroy-sandbox' ? closedPayload() : opened(),
            ...(story.name === 'journal-step'
              ? { inputs: { message: 'Ran the test suite: 42 passed' } }
              : {}),
            killWhenSeen: held,
          });
          if (killed.signal !== 'SIGKILL') {
            lost.push(`${at}: the run was not killed there (exit ${String(killed.exitCode)})`);
            continue;
          }
          w.github.clearFaults();
          w.railway.clearFaults();
          const problems: string[] = [];
          const rerun = await story.action(w);
          if (rerun.exitCode !== 0) problems.push(`the re-run exited ${String(rerun.exitCode)}`);
          problems.push(...problemsOf(w, story));
          const from = positions(w);
          await story.action(w);
          const again = writesSince(w, from);
          if (again.length > 0)
            problems.push(`a re-run of the finished run wrote: ${again.map((x) => x.operation).join(', ')}`);
          if (problems.length > 0) lost.push(`${at}: ${problems.join('; ')}`);
        } finally {
          await w.close();
        }
      }
      figures.push(
        `  ${name}: ${writes.length} boundaries tried, ${writes.length - lost.length} survived, ${lost.length} lost` +
          `\n    ${writes.map((x) => `${x.service} ${x.operation}`).join(' | ')}`,
      );
      expect(lost).toEqual([]);
    });
  }
});
