import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:reliability` (issue 10, docs/RELIABILITY.md): bad input, secrets, the fault matrix,
 * the chaos run (fixed seed) and the races, which print their figures (cases tried, survived, lost).
 * Kept out of `npm test` so CI runs them once, from .ci/run and the ci workflow.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/reliability/**/*.test.ts'],
    exclude: [],
    // Generous limits that only catch a hang: nothing here waits on wall-clock time.
    testTimeout: 600_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
