import { planFarmCommit, upsertBinding, type CommitPlanner } from '@trinity/core';
import { LEGACY_SPEC_FILE } from '../unit/farm/fixtures.js';

export const FARM_PATH = '.trinity/railway_farm.json';
export { LEGACY_SPEC_FILE };

/** Real sleeps of a few milliseconds with real jitter: the writers must genuinely race. */
export const race = {
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  baseDelayMs: 5,
  maxAttempts: 40,
};

/** One writer's change: bind `issue` and add its experience file, as provision + a step would. */
export function bindIssue(issue: number): CommitPlanner {
  return planFarmCommit({
    farmPath: FARM_PATH,
    mutation: upsertBinding(
      issue,
      { account_id: 1, service_id: `svc-${issue}`, status: 'live' },
      new Date('2026-11-25T00:00:00Z'),
    ),
    files: [{ path: `.trinity/experience/20261125T000000000Z_${issue}.md`, content: `step for ${issue}\n` }],
    message: `Bind issue #${issue} to its sandbox`,
  });
}
