import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: the fault matrix, the chaos run (fixed seed) and the races of project
// issue 10 (docs/RELIABILITY.md). Kept out of `npm test` so CI runs them once, as their own step.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    // Generous limits that only catch a hang: nothing here waits on wall-clock time.
    testTimeout: 600_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
