import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Emulators are real HTTP servers and the e2e tests spawn the bundles: give them room,
    // but never rely on wall-clock time for behaviour (clocks are injected).
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
