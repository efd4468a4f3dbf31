import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  armGitHub,
  GITHUB_FAULTS,
  operationsOfStory,
  printMatrix,
  runMatrix,
  startWorld,
} from './fault-matrix.js';
import type { World } from './world.js';

// Project issue 10, part 2, GitHub's half (Railway's half runs in its own file, so in parallel).
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.close();
});

describe('fault matrix: GitHub operations × faults', () => {
  it('every cell completes (re-running a failed step) or stops clearly, and loses nothing', async () => {
    const { github } = await operationsOfStory(world);
    expect(github.length).toBeGreaterThan(5);
    const arms = Object.fromEntries(Object.entries(GITHUB_FAULTS).map(([name, f]) => [name, armGitHub(f)]));
    const cells = await runMatrix(world, github, arms);
    console.log(printMatrix('Fault matrix: GitHub', cells));
    expect(
      cells
        .filter((c) => c.result.verdict === 'FAILED')
        .map((c) => `${c.operation} × ${c.fault}: ${c.result.notes.join('; ')}`),
    ).toEqual([]);
  });
});
