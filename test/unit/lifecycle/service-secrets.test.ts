import { describe, expect, it } from 'vitest';
import {
  createRecordingLogger,
  withServiceSecrets,
  type LifecycleContext,
  type RailwayClient,
} from '@trinity/core';

describe('withServiceSecrets', () => {
  it('redacts every user variable, RAILWAY_-named ones included, but not Railway’s own domains and ids', async () => {
    const masked: string[] = [];
    const context = {
      secrets: ['ghs_x'],
      logger: createRecordingLogger(),
      mask: (v: readonly string[]) => masked.push(...v),
    };
    const client = {
      getVariables: () =>
        Promise.resolve({
          RAILWAY_TOKEN: 'rw-user-secret-token',
          API_KEY: 'k3y-value',
          PORT: '80',
          RAILWAY_PUBLIC_DOMAIN: 'issue-7.up.railway.app',
          RAILWAY_SERVICE_ID: 'svc-7',
          TRINITY_SESSION_ID: 'session-7',
        }),
    } as unknown as RailwayClient;
    const result = await withServiceSecrets(
      context as unknown as LifecycleContext,
      { client, projectId: 'p', environmentId: 'e' },
      'svc-7',
    );
    expect([...result.secrets].sort()).toEqual(['ghs_x', 'k3y-value', 'rw-user-secret-token']);
    expect(masked.sort()).toEqual(['k3y-value', 'rw-user-secret-token']);
  });

  it('falls back to the secrets it had, with a warning, when Railway cannot be asked', async () => {
    const logger = createRecordingLogger();
    const context = { secrets: ['ghs_x'], logger, mask: () => undefined } as unknown as LifecycleContext;
    const client = {
      getVariables: async () => Promise.reject(new Error('Service not found')),
    } as unknown as RailwayClient;
    const result = await withServiceSecrets(context, { client, projectId: 'p', environmentId: 'e' }, 'svc-7');
    expect(result).toBe(context);
    expect(
      logger.lines.some((l) => l.level === 'warning' && /redacted by token shape only/.test(l.message)),
    ).toBe(true);
  });
});
