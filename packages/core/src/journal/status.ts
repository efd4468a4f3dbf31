import type { EventType } from '../events.js';
import type { SandboxViewState } from './event.js';
import { cell, code, link, type DeploymentLink, type ServiceLink } from './links.js';
import { RECENT_EVENTS_LIMIT, type RecentEvent, renderStatusMarker, toRecentEvent } from './markers.js';
import {
  EVENT_EMOJI,
  cleaners,
  deploymentLabel,
  deploymentNote,
  serviceLabel,
  type RenderOptions,
} from './pieces.js';
import { redactText } from './sanitize.js';
import { renderTimeline, timelineFromRecent } from './timeline.js';
import { GITHUB_BODY_LIMIT, truncateBody } from './truncate.js';

/**
 * The one status comment per issue (docs/formats.md, 'Issue comments'), edited in place.
 * Deterministic, so the publisher can compare it with the body on GitHub and skip an edit that
 * would change nothing.
 */

const STATE_EMOJI: Readonly<Record<SandboxViewState, string>> = {
  provisioning: '⏳',
  deploying: '🔄',
  live: '🟢',
  failed: '🔴',
  destroying: '🧹',
  destroyed: '⚫',
  refused: '⛔',
  none: '📓',
  stopped: '⏹️',
};

export interface SandboxStatusView {
  issue: number;
  repo: string;
  state: SandboxViewState;
  service?: ServiceLink;
  deployment?: DeploymentLink;
  /** The sandbox's public URL. */
  url?: string;
  lastEvent?: { type: EventType; at: string; commentUrl?: string };
  updatedAt: string;
  /** The latest published events, kept in the marker for cheap de-duplication. */
  recentEvents?: readonly RecentEvent[];
  /** How many events the issue has had (the last event's point in the timeline). */
  eventsTotal?: number;
}

export function renderStatusComment(status: SandboxStatusView, options: RenderOptions = {}): string {
  const clean = cleaners(options);
  const url = clean.url(status.url);
  const last = status.lastEvent;
  // Fixed key order (the same view gives the same bytes), titles redacted before they are stored.
  const recent = (status.recentEvents ?? []).slice(-RECENT_EVENTS_LIMIT).flatMap((entry) => {
    const normal = toRecentEvent(entry);
    if (normal?.title !== undefined) normal.title = redactText(normal.title, options);
    return normal === undefined ? [] : [normal];
  });
  const marker = renderStatusMarker({
    issue: status.issue,
    state: status.state,
    updated_at: status.updatedAt,
    repo: status.repo,
    ...(status.service ? { service_id: status.service.id } : {}),
    ...(status.deployment ? { deployment_id: status.deployment.id } : {}),
    ...(status.deployment?.status ? { deployment_status: status.deployment.status } : {}),
    ...(url ? { url } : {}),
    ...(last ? { last_event: last.type, last_event_at: last.at } : {}),
    ...(recent.length > 0 ? { recent_events: recent } : {}),
    ...(status.eventsTotal === undefined ? {} : { events_total: status.eventsTotal }),
  });
  // The issue's URL, for the picture's links: the thread the last event was posted to.
  const threadUrl = clean.url(last?.commentUrl)?.split('#')[0];
  const timeline = renderTimeline(timelineFromRecent(recent), {
    ...(threadUrl === undefined ? {} : { threadUrl }),
    clean: clean.text,
  });
  const none = '—';
  // A held, skipped or exited deployment is named as such, not left to look like any other state.
  const note = deploymentNote(status.deployment);
  const noteText = note === undefined ? '' : ` — ${note}`;
  const lastCell = last
    ? `${EVENT_EMOJI[last.type]} ${link(code(last.type), clean.url(last.commentUrl))} at ${code(clean.text(last.at))}`
    : none;
  const rows: [string, string][] = [
    ['State', `${STATE_EMOJI[status.state]} ${code(status.state)}${noteText}`],
    ['Service', status.service ? serviceLabel(status.service, clean) : none],
    ['Deployment', status.deployment ? deploymentLabel(status.service, status.deployment, clean) : none],
    ['URL', url ?? none],
    ['Last event', lastCell],
    ['Updated at', code(clean.text(status.updatedAt))],
  ];
  const body = [
    marker,
    `${STATE_EMOJI[status.state]} [STATUS] Sandbox for issue #${status.issue}: **${status.state}**${noteText}`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([name, value]) => `| ${name} | ${cell(value)} |`),
    '',
    ...(timeline === '' ? [] : [timeline, '']),
    `<sub>Kept up to date by the issue-sandbox actions · ${code(clean.text(status.repo))}</sub>`,
    '',
  ].join('\n');
  return truncateBody(body, options.limit ?? GITHUB_BODY_LIMIT);
}
