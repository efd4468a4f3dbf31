import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The reliability runs (fault matrix, chaos) have their own command: npm run test:reliability.
    exclude: ['**/node_modules/**', 'test/reliability/**'],
    // Emulators are real HTTP servers and the e2e tests spawn the bundles. These limits only catch a
    // hang, so they are generous enough for a busy 2-CPU machine; behaviour never relies on
    // wall-clock time (clocks and sleeps are injected, races forced by barriers).
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
