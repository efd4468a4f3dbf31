import type { JournalEvent } from './event.js';
import { cell, code, fenceFor, link } from './links.js';
import { renderEventMarker } from './markers.js';
import {
  EVENT_EMOJI,
  cleaners,
  deploymentLabel,
  deploymentNote,
  serviceLabel,
  type Clean,
  type RenderOptions,
} from './pieces.js';
import { GITHUB_BODY_LIMIT, truncateBody } from './truncate.js';
import { balanceHtmlBlocks } from './sanitize.js';

/**
 * Event comments (docs/formats.md, 'Issue comments'): one per event, append-only. Pure: the same
 * input gives the same bytes. The marker goes on the first line, where truncation never reaches it.
 */

/** The log tail keeps its last lines within this many characters, leaving room for the message. */
export const MAX_LOG_TAIL_CHARS = 16_000;
/** A step's headline shows at most this much of the message's first line. */
const HEADLINE_TEXT_MAX = 100;

/** The first line of a step's message, without Markdown block syntax, shortened pair-safely. */
function headlineText(message: string): string | undefined {
  const first = message
    .split('\n')
    .map((line) => line.replace(/^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+)*/, '').trim())
    .find((line) => line !== '');
  if (first === undefined) return undefined;
  const chars = [...first];
  return chars.length <= HEADLINE_TEXT_MAX ? first : `${chars.slice(0, HEADLINE_TEXT_MAX - 1).join('')}…`;
}

function headline(event: JournalEvent, clean: Clean): string {
  const emoji = EVENT_EMOJI[event.type];
  const status = event.deployment?.status ? ` (${code(clean.text(event.deployment.status))})` : '';
  switch (event.type) {
    case 'sandbox_created':
      return `${emoji} [SANDBOX] Sandbox created for issue #${event.issue}`;
    case 'deployment_started':
      return `${emoji} [DEPLOY] Deployment started`;
    case 'deployment_succeeded': {
      const url = clean.url(event.deployment?.url);
      return `${emoji} [DEPLOY] Deployment succeeded${url ? ` — ${url}` : ''}`;
    }
    case 'deployment_failed': {
      // Not every deployment that leaves nothing live crashed: say what Railway reported.
      const note = deploymentNote(event.deployment);
      return `${emoji} [DEPLOY] Deployment ${note === undefined ? 'failed' : note}${status}`;
    }
    case 'deployment_waiting':
      return `${emoji} [DEPLOY] Deployment ${deploymentNote(event.deployment) ?? 'waiting'}${status}`;
    case 'build_failed':
      return `${emoji} [BUILD] Build failed${status}`;
    case 'step_completed':
      return `${emoji} [STEP] ${balanceHtmlBlocks(headlineText(clean.text(event.message ?? '')) ?? 'Step completed')}`;
    case 'sandbox_destroyed':
      return `${emoji} [SANDBOX] Sandbox destroyed`;
    case 'sandbox_refused':
      return `${emoji} [SANDBOX] Sandbox refused`;
    case 'run_stopped':
      return `${emoji} [RUN] The run stopped before it finished${status}`;
  }
}

function linkLines(event: JournalEvent, clean: Clean): string[] {
  const lines: string[] = [];
  if (event.service) lines.push(`- **Service:** ${serviceLabel(event.service, clean)}`);
  if (event.deployment) {
    lines.push(`- **Deployment:** ${deploymentLabel(event.service, event.deployment, clean)}`);
    const url = clean.url(event.deployment.url);
    if (url) lines.push(`- **URL:** ${url}`);
  }
  const runUrl = clean.url(event.runUrl);
  if (runUrl) lines.push(`- **Workflow run:** ${link('logs', runUrl)}`);
  const refusal = event.refusal;
  if (refusal) {
    lines.push(`- **Who:** ${clean.text(refusal.who)}`);
    lines.push(`- **Why:** ${clean.text(refusal.why)}`);
    lines.push(`- **How to allow it:** ${clean.text(refusal.how)}`);
  }
  return lines;
}

/** The last lines of the log that fit `MAX_LOG_TAIL_CHARS`, redacted as one text (PEM blocks span lines). */
function logTailBlock(lines: readonly string[], clean: Clean): string {
  const all = clean.text(lines.join('\n')).split('\n');
  const kept: string[] = [];
  let size = 0;
  for (let i = all.length - 1; i >= 0; i -= 1) {
    const line = all[i] ?? '';
    if (size + line.length + 1 > MAX_LOG_TAIL_CHARS && kept.length > 0) break;
    kept.unshift(line.length > MAX_LOG_TAIL_CHARS ? line.slice(-MAX_LOG_TAIL_CHARS) : line);
    size += line.length + 1;
  }
  const omitted = all.length - kept.length;
  const content = [...(omitted > 0 ? [`… (${omitted} earlier lines omitted)`] : []), ...kept].join('\n');
  const fence = fenceFor(content);
  return [
    `<details><summary>Last ${kept.length} log lines (secrets redacted)</summary>`,
    '',
    `${fence}text`,
    content,
    fence,
    '',
    '</details>',
  ].join('\n');
}

function detailsBlock(details: Record<string, string>, clean: Clean): string {
  const rows = Object.keys(details)
    .sort()
    .map((key) => `| ${cell(code(clean.text(key)))} | ${cell(clean.text(details[key] ?? ''))} |`);
  return [
    '<details><summary>Details</summary>',
    '',
    '| | |',
    '| --- | --- |',
    ...rows,
    '',
    '</details>',
  ].join('\n');
}

/**
 * Where an event stands in the issue's timeline picture (docs/formats.md, 'The timeline picture'):
 * its number there, and the status comment that draws it (unknown for an issue's first event,
 * posted before its status comment exists).
 */
export interface TimelinePoint {
  n: number;
  statusUrl?: string;
}

export function renderEventComment(
  event: JournalEvent,
  options: RenderOptions & { point?: TimelinePoint } = {},
): string {
  const clean = cleaners(options);
  const limit = options.limit ?? GITHUB_BODY_LIMIT;
  const marker = renderEventMarker({
    ...eventMarkerFields(event),
    ...(options.point === undefined ? {} : { n: options.point.n }),
  });
  const before: string[] = [`${marker}\n${headline(event, clean)}`];
  const links = linkLines(event, clean);
  if (links.length > 0) before.push(links.join('\n'));
  // Balanced, so that an unclosed `<details>` cannot fold away the footer and the links after it.
  const message = balanceHtmlBlocks(clean.text(event.message ?? '').trim());
  const headlineOnly = event.type === 'step_completed' && !message.includes('\n') && message.length <= 100;
  const after: string[] = [];
  if (event.details && Object.keys(event.details).length > 0) after.push(detailsBlock(event.details, clean));
  if (event.logTail && event.logTail.length > 0) after.push(logTailBlock(event.logTail, clean));
  after.push(
    `<sub>${code(event.type)} · ${code(clean.text(event.repo))}#${event.issue} · ${code(clean.text(event.at))}` +
      `${pointText(options.point, clean)}</sub>`,
  );
  if (message === '' || headlineOnly) return truncateBody(`${[...before, ...after].join('\n\n')}\n`, limit);
  // A long message is cut, not the comment: the links, details and footer after it always stay.
  const room = limit - `${[...before, '', ...after].join('\n\n')}\n`.length;
  const kept = message.length <= room ? message : truncateBody(message, Math.max(room, 0));
  return truncateBody(`${[...before, kept, ...after].join('\n\n')}\n`, limit);
}

/** ` · point 3 of the timeline`, linked to the status comment that draws it when that is known. */
function pointText(point: TimelinePoint | undefined, clean: ReturnType<typeof cleaners>): string {
  if (point === undefined) return '';
  const url = clean.url(point.statusUrl);
  return ` · point ${point.n} of ${url === undefined ? 'the timeline in the status comment' : `[the timeline](${url})`}`;
}

function eventMarkerFields(event: JournalEvent): Parameters<typeof renderEventMarker>[0] {
  return {
    type: event.type,
    issue: event.issue,
    key: event.key,
    at: event.at,
    ...(event.service ? { service_id: event.service.id } : {}),
    ...(event.deployment ? { deployment_id: event.deployment.id } : {}),
  };
}

// Re-exported so callers can take both comment renderers from one module.
export { renderStatusComment, type SandboxStatusView } from './status.js';
export { EVENT_EMOJI, type RenderOptions } from './pieces.js';
