import type { RunContext } from '@trinity/core';

export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    repository: { owner: 'octo-org', repo: 'sandbox-demo' },
    apiUrl: 'https://api.github.com',
    serverUrl: 'https://github.com',
    runId: '1001',
    runAttempt: '1',
    eventName: 'issues',
    payload: { action: 'opened', issue: { number: 7 } },
    ...overrides,
  };
}
