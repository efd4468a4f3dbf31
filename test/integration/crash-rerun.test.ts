import { afterAll, describe, expect, it } from 'vitest';
import { deploySandbox, destroySandbox, journalStep, provisionSandbox } from '@trinity/core';
import {
  checkConsistent,
  CrashSwitch,
  deploySettings,
  provisionSettings,
  journalSettings,
  eventTypes,
  runUntilKilled,
  startCrashWorld,
  type CrashWorld,
} from '../support/crash-world.js';
import { REPO } from '../support/github.js';

// Issue 10, part 3: kill the action at every step boundary (after each write it makes; see
// CrashSwitch for why that is SIGKILL's equivalent in-process), run it again, and check that the
// mapping agrees with Railway, that nothing was posted twice, and that a re-run of the finished run
// writes nothing. The figures are printed at the end.

type Step = (world: CrashWorld, crash: CrashSwitch) => Promise<unknown>;

const provision: Step = (world, crash) => {
  const { context, accounts } = world.run(crash);
  return provisionSandbox(provisionSettings(), context, accounts, 'https://github.com');
};
const destroy: Step = (world, crash) => {
  const { context, accounts } = world.run(crash);
  return destroySandbox(
    { issueNumber: 7, archiveDirectory: undefined, serviceName: 'issue-{issue}' },
    context,
    accounts,
  );
};
const deploy: Step = (world, crash) => {
  const { context, accounts } = world.run(crash);
  return deploySandbox(deploySettings(), context, accounts, {
    onIssueGone: () => destroySandbox({ issueNumber: 7, archiveDirectory: undefined }, context, accounts),
  });
};
const journal: Step = (world, crash) => journalStep(journalSettings(), world.run(crash).context);
const close: Step = async (world) => {
  await world.gh.octokit.rest.issues.update({
    owner: 'octo-org',
    repo: 'sandbox-demo',
    issue_number: 7,
    state: 'closed',
  });
};

interface Story {
  /** Run cleanly before the action under test. */
  before: Step[];
  action: Step;
  /** What the next run does: the action again, or another action for the same issue. */
  after: Step[];
  services: number;
  events: string[];
}

const STORIES: Record<string, Story> = {
  'provision, re-run': {
    before: [],
    action: provision,
    after: [provision],
    services: 1,
    events: ['sandbox_created'],
  },
  'provision, then the issue closes and destroy runs': {
    before: [],
    action: provision,
    after: [close, destroy],
    services: 0,
    events: [],
  },
  'deploy, re-run': {
    before: [provision],
    action: deploy,
    after: [deploy],
    services: 1,
    events: ['sandbox_created', 'deployment_started', 'deployment_succeeded'],
  },
  'journal-step, re-run': {
    before: [provision],
    action: journal,
    after: [journal],
    services: 1,
    events: ['sandbox_created', 'step_completed'],
  },
  'destroy, re-run': {
    before: [provision, deploy, close],
    action: destroy,
    after: [destroy],
    services: 0,
    events: ['sandbox_created', 'deployment_started', 'deployment_succeeded', 'sandbox_destroyed'],
  },
};

const figures: Array<{ story: string; tried: number; survived: number; lost: number; boundaries: string }> =
  [];
afterAll(() => {
  console.log(
    'Crash and re-run (issue 10, part 3):\n' +
      figures
        .map(
          (f) =>
            `  ${f.story}: ${f.tried} boundaries tried, ${f.survived} survived, ${f.lost} lost\n    ${f.boundaries}`,
        )
        .join('\n'),
  );
});

async function runClean(world: CrashWorld, step: Step): Promise<string[]> {
  const counter = new CrashSwitch(undefined);
  await step(world, counter);
  return counter.writes;
}

describe('a run killed at any step boundary, then run again', () => {
  for (const [name, story] of Object.entries(STORIES)) {
    it(`${name}: one service (none after destroy), the mapping agrees with Railway, nothing posted twice`, async () => {
      const lost: string[] = [];
      const boundaries: string[] = [];
      for (let k = 1; ; k++) {
        const world = await startCrashWorld();
        try {
          for (const step of story.before) await runClean(world, step);
          const crash = new CrashSwitch(k);
          const ended = await runUntilKilled(crash, () => story.action(world, crash));
          if (ended.ended !== 'killed') {
            if (ended.ended === 'failed') throw ended.error;
            break;
          }
          boundaries.push(crash.crashedAt ?? '?');
          const problems: string[] = [];
          try {
            for (const step of story.after) await runClean(world, step);
            problems.push(...checkConsistent(world, 7));
            if (world.serviceIds().length !== story.services)
              problems.push(`${world.serviceIds().length} services, not ${story.services}`);
            const events = eventTypes(world, 7);
            for (const type of story.events) if (!events.includes(type)) problems.push(`no ${type} comment`);
            // A re-run of the finished run changes nothing.
            const again = await runClean(world, story.after.at(-1) ?? story.action);
            if (again.length > 0) problems.push(`a re-run of the finished run wrote: ${again.join(', ')}`);
          } catch (error) {
            problems.push(`the next run failed: ${error instanceof Error ? error.message : String(error)}`);
          }
          if (problems.length > 0)
            lost.push(`after write ${k} (${crash.crashedAt ?? '?'}): ${problems.join('; ')}`);
        } finally {
          await world.close();
        }
      }
      figures.push({
        story: name,
        tried: boundaries.length,
        survived: boundaries.length - lost.length,
        lost: lost.length,
        boundaries: boundaries.join(' | '),
      });
      expect(boundaries.length).toBeGreaterThan(0);
      expect(lost).toEqual([]);
    }, 300_000);
  }
});

// The comments of a story run cleanly are the reference the crashed runs are held to.
it('a clean story posts each event once', async () => {
  const world = await startCrashWorld();
  try {
    for (const step of [provision, deploy, journal, close, destroy]) await runClean(world, step);
    expect(eventTypes(world, 7)).toEqual([
      'sandbox_created',
      'deployment_started',
      'deployment_succeeded',
      'step_completed',
      'sandbox_destroyed',
    ]);
    expect(world.gh.emulator.repo(REPO).comments(7).length).toBe(6);
  } finally {
    await world.close();
  }
});
