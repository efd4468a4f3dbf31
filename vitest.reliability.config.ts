import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:reliability` (issue 10): the bad-input, secrets and other reliability suites, which
 * print their figures (cases tried, survived, lost). Kept out of `npm test` so CI runs them once,
 * from .ci/run and the ci workflow.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/reliability/**/*.test.ts'],
    exclude: [],
  },
});
