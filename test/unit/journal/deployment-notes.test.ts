import { describe, expect, it } from 'vitest';
import { findStatusMarker, renderEventComment, renderStatusComment } from '@trinity/core';
import type { JournalEvent, SandboxStatusView } from '@trinity/core';

// Statuses that would mislead on their own: a held deployment is not a timeout, a skipped one did not
// crash, and SUCCESS with every instance stopped is an app that exited, not a live sandbox.
const base = { issue: 7, at: '2026-11-25T10:00:00.000Z', repo: 'o/r', key: 'k' } as const;

function headline(event: Omit<JournalEvent, 'issue' | 'at' | 'repo' | 'key'>): string {
  return renderEventComment({ ...base, ...event }).split('\n')[1] ?? '';
}

function status(deployment: SandboxStatusView['deployment'], state: SandboxStatusView['state']): string {
  return renderStatusComment({
    issue: 7,
    repo: 'o/r',
    state,
    updatedAt: base.at,
    ...(deployment ? { deployment } : {}),
  });
}

describe('deployment notes in event and status comments', () => {
  it('names a deployment waiting for CI or for approval, not as a timeout', () => {
    expect(headline({ type: 'deployment_waiting', deployment: { id: 'd', status: 'WAITING' } })).toBe(
      "⏸️ [DEPLOY] Deployment waiting for CI: Railway deploys once the commit's GitHub checks pass (`WAITING`)",
    );
    expect(headline({ type: 'deployment_waiting', deployment: { id: 'd', status: 'NEEDS_APPROVAL' } })).toBe(
      '⏸️ [DEPLOY] Deployment awaiting approval in Railway (`NEEDS_APPROVAL`)',
    );
    const body = status({ id: 'd', status: 'WAITING' }, 'deploying');
    expect(body.split('\n')[1]).toBe(
      "🔄 [STATUS] Sandbox for issue #7: **deploying** — waiting for CI: Railway deploys once the commit's GitHub checks pass",
    );
    expect(status({ id: 'd', status: 'NEEDS_APPROVAL' }, 'deploying')).toContain(
      'awaiting approval in Railway',
    );
  });

  it('says a SKIPPED deployment was skipped because a check failed, not that it crashed', () => {
    expect(headline({ type: 'deployment_failed', deployment: { id: 'd', status: 'SKIPPED' } })).toBe(
      '💥 [DEPLOY] Deployment skipped: a GitHub check failed while Railway waited for CI (`SKIPPED`)',
    );
    expect(status({ id: 'd', status: 'SKIPPED' }, 'failed')).toContain(
      '**failed** — skipped: a GitHub check failed',
    );
  });

  it('says SUCCESS with every instance stopped is an app that exited, and keeps the marker as it was', () => {
    expect(
      headline({ type: 'deployment_failed', deployment: { id: 'd', status: 'SUCCESS', stopped: true } }),
    ).toBe('💥 [DEPLOY] Deployment completed: the app exited, so nothing is live (`SUCCESS`)');
    const body = status({ id: 'd', status: 'SUCCESS', stopped: true }, 'failed');
    expect(body).toContain('**failed** — completed: the app exited');
    // The marker format is unchanged: `stopped` is shown, not stored.
    expect(findStatusMarker(body)).toEqual({
      v: 1,
      issue: 7,
      state: 'failed',
      updated_at: base.at,
      repo: 'o/r',
      deployment_id: 'd',
      deployment_status: 'SUCCESS',
    });
    // A crash keeps its plain wording.
    expect(headline({ type: 'deployment_failed', deployment: { id: 'd', status: 'CRASHED' } })).toBe(
      '💥 [DEPLOY] Deployment failed (`CRASHED`)',
    );
  });
});
