import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Run by `npm run test:reliability` (vitest.reliability.config.ts), once.
    exclude: ['test/reliability/**', '**/node_modules/**'],
    // Emulators are real HTTP servers and the e2e tests spawn the bundles. These limits only catch a
    // hang, so they are generous enough for a busy 2-CPU machine; behaviour never relies on
    // wall-clock time (clocks and sleeps are injected, races forced by barriers).
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    server: {
      deps: {
        // GitHub's workflow parser imports its schema as JSON without an import attribute, which
        // Node refuses; transformed by Vite instead (test/workflows/parser.test.ts).
        inline: ['@actions/workflow-parser'],
      },
    },
  },
});
