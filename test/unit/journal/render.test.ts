import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType } from '../../../packages/core/src/events.js';
import {
  GITHUB_BODY_LIMIT,
  REDACTED,
  findEventMarker,
  findStatusMarker,
  parseMarkers,
  renderEventComment,
  renderStatusComment,
  type JournalEvent,
  type SandboxStatusView,
} from '../../../packages/core/src/journal/index.js';

const service = { id: 'svc-1', name: 'issue-506', projectId: 'proj-1', environmentId: 'env-1' };
const serviceLink = 'https://railway.com/project/proj-1/service/svc-1?environmentId=env-1';
const deploymentLink = 'https://railway.com/project/proj-1/service/svc-1?environmentId=env-1&id=dep-1';
const runUrl = 'https://github.com/o/r/actions/runs/42/attempts/1';

function event(type: EventType, extra: Partial<JournalEvent> = {}): JournalEvent {
  return {
    type,
    issue: 506,
    key: `42-1-${type}`,
    at: '2026-11-23T19:45:01.123Z',
    repo: 'o/r',
    service,
    deployment: { id: 'dep-1', status: 'SUCCESS', url: 'https://issue-506.up.railway.app' },
    runUrl,
    ...extra,
  };
}

const headlines: Record<EventType, string> = {
  sandbox_created: '🚀 [SANDBOX] Sandbox created for issue #506',
  deployment_started: '⏳ [DEPLOY] Deployment started',
  deployment_succeeded: '✅ [DEPLOY] Deployment succeeded — https://issue-506.up.railway.app/',
  deployment_failed: '💥 [DEPLOY] Deployment failed (`CRASHED`)',
  step_completed: '📝 [STEP] Wired the health check',
  build_failed: '❌ [BUILD] Build failed (`FAILED`)',
  sandbox_destroyed: '🧹 [SANDBOX] Sandbox destroyed',
  sandbox_refused: '⛔ [SANDBOX] Sandbox refused',
  deployment_waiting: '⏸️ [DEPLOY] Deployment awaiting approval in Railway (`NEEDS_APPROVAL`)',
  run_stopped: '⏹️ [RUN] The run stopped before it finished (`BUILDING`)',
};

const statusOf: Partial<Record<EventType, string>> = {
  deployment_failed: 'CRASHED',
  build_failed: 'FAILED',
  deployment_waiting: 'NEEDS_APPROVAL',
  run_stopped: 'BUILDING',
};

describe('renderEventComment', () => {
  it.each(EVENT_TYPES)('renders %s with its headline, links and marker', (type) => {
    const status = statusOf[type] ?? 'SUCCESS';
    const body = renderEventComment(
      event(type, {
        message: '## Wired the health check\n\nDetails follow.',
        deployment: { id: 'dep-1', status, url: 'https://issue-506.up.railway.app' },
      }),
    );
    const lines = body.split('\n');
    expect(lines[0]).toMatch(/^<!-- trinity:event \{.*\} -->$/);
    expect(lines[1]).toBe(headlines[type]);
    expect(body).toContain(`[\`issue-506\` (\`svc-1\`)](${serviceLink})`);
    expect(body).toContain(`[\`dep-1\`](${deploymentLink})`);
    expect(body).toContain(`[logs](${runUrl})`);
    expect(findEventMarker(body)).toEqual({
      v: 1,
      type,
      issue: 506,
      key: `42-1-${type}`,
      at: '2026-11-23T19:45:01.123Z',
      service_id: 'svc-1',
      deployment_id: 'dep-1',
    });
    expect(parseMarkers(body)).toHaveLength(1);
  });

  it('shows ids without links when the project is unknown, and no link lines when nothing is known', () => {
    const body = renderEventComment(event('sandbox_created', { service: { id: 'svc-1' } }));
    expect(body).toContain('- **Service:** `svc-1`\n');
    expect(body).not.toContain('railway.com');
    const bare = renderEventComment(
      event('sandbox_destroyed', { service: undefined, deployment: undefined, runUrl: undefined }),
    );
    expect(bare).not.toContain('- **');
  });

  it('says who was refused, why, and how to allow it', () => {
    const body = renderEventComment(
      event('sandbox_refused', {
        service: undefined,
        deployment: undefined,
        refusal: {
          who: '@stranger',
          why: 'author_association NONE is not in OWNER, MEMBER, COLLABORATOR',
          how: 'A maintainer adds the `sandbox` label to the issue.',
        },
      }),
    );
    expect(body).toContain('- **Who:** @\u200dstranger');
    expect(body).toContain('- **Why:** author_association NONE is not in OWNER, MEMBER, COLLABORATOR');
    expect(body).toContain('- **How to allow it:** A maintainer adds the `sandbox` label to the issue.');
  });

  it('redacts secrets in the message and in the log tail, and fences the tail safely', () => {
    const secret = 'rw_tok_0123456789';
    const body = renderEventComment(
      event('build_failed', {
        message: `failed with token ${secret}, cc @octocat`,
        logTail: ['step 1', `export RAILWAY_TOKEN=${secret}`, '```', '</details> <!-- trinity:event {} -->'],
      }),
      { secrets: [secret] },
    );
    expect(body).not.toContain(secret);
    expect(body).toContain(`export RAILWAY_TOKEN=${REDACTED}`);
    expect(body).toContain('cc @\u200doctocat');
    expect(body).toContain(
      '<details><summary>Last 4 log lines (secrets redacted)</summary>\n\n````text\nstep 1',
    );
    expect(parseMarkers(body)).toHaveLength(1);
  });

  it('keeps only the last lines of a long log tail', () => {
    const logTail = Array.from({ length: 5_000 }, (_, i) => `line ${i}`);
    const body = renderEventComment(event('deployment_failed', { logTail }));
    expect(body).toContain('line 4999\n');
    expect(body).not.toContain('line 0\n');
    expect(body).toMatch(/… \(\d+ earlier lines omitted\)/);
  });

  it('truncates a 200,000-character message to the limit with a parseable marker and whole pairs', () => {
    const message = `${'😀 '.repeat(40_000)}${'x'.repeat(80_000)}`;
    const body = renderEventComment(event('step_completed', { message }));
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(body).toMatch(
      /… \(truncated: \d+ characters omitted; the full text is in the workflow run's logs\)/,
    );
    expect(findEventMarker(body)?.key).toBe('42-1-step_completed');
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(body)).toBe(false);
  });

  it('renders the same bytes for the same input', () => {
    const input = event('deployment_succeeded', { details: { b: '2', a: '1' }, logTail: ['x'] });
    expect(renderEventComment(input)).toBe(renderEventComment(structuredClone(input)));
    expect(renderEventComment(input)).toContain('| `a` | 1 |\n| `b` | 2 |');
  });

  it('refuses non-http link targets', () => {
    const body = renderEventComment(event('deployment_succeeded', { runUrl: 'javascript:alert(1)' }));
    expect(body).not.toContain('javascript:');
  });
});

describe('renderStatusComment', () => {
  const view: SandboxStatusView = {
    issue: 506,
    repo: 'o/r',
    state: 'live',
    service,
    deployment: { id: 'dep-1', status: 'SUCCESS' },
    url: 'https://issue-506.up.railway.app',
    lastEvent: {
      type: 'deployment_succeeded',
      at: '2026-11-23T19:45:01.123Z',
      commentUrl: 'https://github.com/o/r/issues/506#issuecomment-1',
    },
    updatedAt: '2026-11-23T19:45:02.000Z',
  };

  it('renders a headline, the table and the status marker', () => {
    const body = renderStatusComment(view);
    expect(body.split('\n')[1]).toBe('🟢 [STATUS] Sandbox for issue #506: **live**');
    expect(body).toContain('| State | 🟢 `live` |');
    expect(body).toContain(`| Service | [\`issue-506\` (\`svc-1\`)](${serviceLink}) |`);
    expect(body).toContain(`| Deployment | [\`dep-1\`](${deploymentLink}) · \`SUCCESS\` |`);
    expect(body).toContain('| URL | https://issue-506.up.railway.app/ |');
    expect(body).toContain(
      '| Last event | ✅ [`deployment_succeeded`](https://github.com/o/r/issues/506#issuecomment-1) at `2026-11-23T19:45:01.123Z` |',
    );
    expect(body).toContain('| Updated at | `2026-11-23T19:45:02.000Z` |');
    expect(findStatusMarker(body)).toEqual({
      v: 1,
      issue: 506,
      state: 'live',
      updated_at: '2026-11-23T19:45:02.000Z',
      repo: 'o/r',
      service_id: 'svc-1',
      deployment_id: 'dep-1',
      deployment_status: 'SUCCESS',
      url: 'https://issue-506.up.railway.app/',
      last_event: 'deployment_succeeded',
      last_event_at: '2026-11-23T19:45:01.123Z',
    });
    expect(renderStatusComment(structuredClone(view))).toBe(body);
  });

  it('shows dashes for what is not known yet', () => {
    const body = renderStatusComment({ issue: 7, repo: 'o/r', state: 'refused', updatedAt: 'T' });
    expect(body).toContain('| Service | — |');
    expect(body).toContain('| Last event | — |');
    expect(findStatusMarker(body)).toEqual({
      v: 1,
      issue: 7,
      state: 'refused',
      updated_at: 'T',
      repo: 'o/r',
    });
  });

  it('keeps table cells on one line', () => {
    const body = renderStatusComment({ ...view, deployment: { id: 'a|b', status: 'X\nY' } });
    expect(body).toContain('`a\\|b`');
    expect(body).toContain('`X Y`');
  });
});
