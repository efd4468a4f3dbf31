import { prng } from '../../support/prng.js';
import { describe, expect, it } from 'vitest';
import {
  LostRaceError,
  createRecordingLogger,
  parseFarm,
  retryLostRaces,
  type CommitBackend,
  type LifecycleContext,
  type ProvisionSettings,
  type RailwayAccounts,
} from '@trinity/core';
import { reservedSlots } from '../../../packages/core/src/farm/accounts.js';
import { reservePlacement } from '../../../packages/core/src/lifecycle/provision-placement.js';

// Issue 10, part 4 ("caps respected", "caps hold under a burst of 200 issues"): provision reserves
// its slot in a commit whose planner chooses the account on the head being committed to, so runs
// that all read the same mapping cannot overfill an account. Here the branch is in memory, with
// the compare-and-swap every commit backend has; the end-to-end burst of 50 runs is in
// test/reliability/races.test.ts.

const FARM = '.trinity/railway_farm.json';
const NOW = new Date('2026-11-23T12:00:00Z');

/**
 * A branch in memory: an attempt plans on the head it read, yields a random number of turns (other
 * writers read and write meanwhile), and loses the race if the head moved.
 */
function memoryBranch(random: () => number) {
  let head = { version: 0, files: new Map<string, string>() };
  const turns = async () => {
    for (let i = Math.floor(random() * 4); i > 0; i--) await new Promise((resolve) => setImmediate(resolve));
  };
  const backend: CommitBackend = {
    mode: 'api',
    read: (path) => Promise.resolve(head.files.get(path)),
    async commit(plan) {
      const { value, attempts } = await retryLostRaces(
        async () => {
          const base = head;
          await turns();
          const planned = await plan((path) => Promise.resolve(base.files.get(path)));
          await turns();
          if (head !== base) throw new LostRaceError('main moved');
          if (planned === undefined) return { committed: false, sha: undefined, branch: 'main', paths: [] };
          const files = new Map(base.files);
          for (const file of planned.files) files.set(file.path, file.content);
          head = { version: base.version + 1, files };
          return { committed: true, sha: String(head.version), branch: 'main', paths: [FARM] };
        },
        { sleep: () => Promise.resolve(), random, maxAttempts: 10_000 },
      );
      return { ...value, attempts };
    },
  };
  return {
    backend,
    farm: () => parseFarm(head.files.get(FARM) ?? '{"version":2,"accounts":[],"agent_map":[]}', FARM),
  };
}

const accounts = {
  accounts: [
    { accountId: 1, token: 'rw_1' },
    { accountId: 2, token: 'rw_2' },
  ],
  target: () => Promise.reject(new Error('Railway is not asked while the mapping has room')),
} as unknown as RailwayAccounts;

function settingsFor(issue: number, maxSandboxes?: number): ProvisionSettings {
  return { issueNumber: issue, serviceName: 'issue-{issue}', maxSandboxes } as unknown as ProvisionSettings;
}

/** `count` runs at once, each having read the same (empty) mapping. */
async function burst(count: number, seed: number, maxSandboxes?: number) {
  const branch = memoryBranch(prng(seed));
  const context = {
    commits: branch.backend,
    farmPath: FARM,
    logger: createRecordingLogger(),
    now: () => NOW,
  } as unknown as LifecycleContext;
  const empty = branch.farm();
  const results = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      reservePlacement(settingsFor(i + 1, maxSandboxes), context, accounts, empty, `issue-${i + 1}`),
    ),
  );
  const placed = results.flatMap((r) => ('candidates' in r ? [r.candidates[0]?.accountId] : []));
  const refused = results.flatMap((r) => ('refusal' in r ? [r.refusal.kind] : []));
  return { placed, refused, reserved: reservedSlots(branch.farm(), NOW) };
}

describe('reserving a slot before the create', () => {
  it.each([1, 2, 3])('a burst of 200 issues (seed %i): 25 + 25 slots reserved, 150 refused', async (seed) => {
    const { placed, refused, reserved } = await burst(200, seed);
    console.log(
      `200 reservations at once (seed ${seed}): ${placed.filter((a) => a === 1).length} on account 1, ` +
        `${placed.filter((a) => a === 2).length} on account 2, ${refused.length} refused`,
    );
    expect(placed.filter((a) => a === 1)).toHaveLength(25);
    expect(placed.filter((a) => a === 2)).toHaveLength(25);
    expect(refused).toEqual(Array.from({ length: 150 }, () => 'capacity'));
    // What the mapping holds agrees with what the runs were told.
    expect(Object.fromEntries(reserved)).toEqual({ 1: 25, 2: 25 });
  });

  it('max-sandboxes holds under a burst: 30 runs, a cap of 10', async () => {
    const { placed, refused, reserved } = await burst(30, 4, 10);
    expect(placed).toHaveLength(10);
    expect(refused).toEqual(Array.from({ length: 20 }, () => 'max-sandboxes'));
    expect([...reserved.values()].reduce((a, b) => a + b, 0)).toBe(10);
  });
});
