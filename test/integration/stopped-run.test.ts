import { describe, expect, it } from 'vitest';
import {
  deploySandbox,
  destroySandbox,
  findStatusMarker,
  IN_PROGRESS,
  provisionSandbox,
  recordStoppedRun,
  stoppedRunToRecord,
  type LifecycleContext,
  type RailwayAccounts,
} from '@trinity/core';
import { BREADCRUMB, readPublishedBreadcrumb, rememberingPublishes } from '@trinity/core/actions';
import {
  checkConsistent,
  CrashSwitch,
  deploySettings,
  provisionSettings,
  eventTypes,
  runUntilKilled,
  startCrashWorld,
  type CrashWorld,
} from '../support/crash-world.js';
import { REPO } from '../support/github.js';

// Issue 11, part 2, in-process: kill provision and deploy after every write they make (CrashSwitch:
// SIGKILL's equivalent), run the post step's logic with the breadcrumbs the killed run left, and
// check that the thread never keeps claiming work nobody does, and that the next run converges.

type Step = (context: LifecycleContext, accounts: RailwayAccounts) => Promise<unknown>;

const provision: Step = (context, accounts) =>
  provisionSandbox(provisionSettings(), context, accounts, 'https://github.com');
const deploy: Step = (context, accounts) =>
  deploySandbox(deploySettings(), context, accounts, {
    onIssueGone: () => destroySandbox({ issueNumber: 7, archiveDirectory: undefined }, context, accounts),
  });

function statusState(world: CrashWorld): string | undefined {
  const comments = world.gh.emulator.repo(REPO).comments(7);
  return comments
    .map((comment) => findStatusMarker(comment.body)?.state)
    .find((state) => state !== undefined);
}

// The next run is the workflow's: provision hands over to deploy (docs/actions.md, 'What runs for each event').
const STORIES = {
  provision: {
    action: 'provision-sandbox',
    before: [] as Step[],
    step: provision,
    next: [provision, deploy],
  },
  deploy: { action: 'deploy-sandbox', before: [provision], step: deploy, next: [deploy] },
};

describe('a run killed at any write, then its post step, then the next run', () => {
  for (const [name, story] of Object.entries(STORIES)) {
    it(`${name}: the thread never keeps claiming work in progress; the next run converges`, async () => {
      const problems: string[] = [];
      let kills = 0;
      let recorded = 0;
      for (let k = 1; ; k++) {
        const world = await startCrashWorld();
        try {
          for (const step of story.before) {
            const { context, accounts } = world.run(new CrashSwitch(undefined));
            await step(context, accounts);
          }
          const crash = new CrashSwitch(k);
          const { context, accounts } = world.run(crash);
          const state = new Map<string, string>();
          const remembering = {
            ...context,
            publisher: rememberingPublishes(context.publisher, (key, value) => state.set(key, value)),
          };
          const ended = await runUntilKilled(crash, () => story.step(remembering, accounts));
          if (ended.ended === 'failed') throw ended.error;
          if (ended.ended === 'done') break;
          kills += 1;
          // The post step, with what the killed run saved.
          const post = world.run(new CrashSwitch(undefined));
          const published = readPublishedBreadcrumb(state.get(BREADCRUMB.published) ?? '');
          const stopped = await stoppedRunToRecord(story.action, published, 7, post.context);
          if (stopped !== undefined) {
            await recordStoppedRun(stopped, post.context, post.accounts);
            recorded += 1;
          }
          const after = statusState(world);
          if (after !== undefined && (IN_PROGRESS as ReadonlySet<string>).has(after))
            problems.push(`after write ${k} (${crash.crashedAt ?? '?'}): the status still says ${after}`);
          // The next run converges as today.
          world.railway.advance(3_600_000);
          for (const step of story.next) {
            const next = world.run(new CrashSwitch(undefined));
            await step(next.context, next.accounts);
          }
          problems.push(...checkConsistent(world, 7).map((problem) => `after write ${k}: ${problem}`));
          if (statusState(world) !== 'live')
            problems.push(`after write ${k}: the next run left ${statusState(world) ?? 'no status'}`);
          const types = eventTypes(world, 7);
          if (types.filter((type) => type === 'run_stopped').length > 1)
            problems.push(`after write ${k}: run_stopped twice`);
        } finally {
          await world.close();
        }
      }
      expect(kills).toBeGreaterThan(2);
      expect(recorded).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    }, 300_000);
  }
});
