import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  armRailway,
  RAILWAY_FAULTS,
  operationsOfStory,
  printMatrix,
  runMatrix,
  startWorld,
} from './fault-matrix.js';
import type { World } from './world.js';

// Project issue 10, part 2, Railway’s half (GitHub’s half runs in its own file, so in parallel).
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.close();
});

describe('fault matrix: Railway operations × faults', () => {
  it('every cell completes (re-running a failed step) or stops clearly, and loses nothing', async () => {
    const { railway } = await operationsOfStory(world);
    expect(railway.length).toBeGreaterThan(5);
    const arms = Object.fromEntries(Object.entries(RAILWAY_FAULTS).map(([name, f]) => [name, armRailway(f)]));
    const cells = await runMatrix(world, railway, arms);
    console.log(printMatrix('Fault matrix: Railway', cells));
    expect(
      cells
        .filter((c) => c.result.verdict === 'FAILED')
        .map((c) => `${c.operation} × ${c.fault}: ${c.result.notes.join('; ')}`),
    ).toEqual([]);
  });
});
