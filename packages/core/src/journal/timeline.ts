import type { EventType } from '../events.js';
import type { JournalEvent } from './event.js';
import type { RecentEvent } from './markers.js';
import { EVENT_EMOJI } from './pieces.js';

/**
 * The issue's life as a picture (docs/formats.md, 'The timeline picture'): a Mermaid flowchart
 * (GitHub renders ```mermaid blocks in comments) of the latest events, each node numbered, with a
 * numbered list of links to the event comments under it. Mermaid's `click` links are not rendered
 * on GitHub, so the links live in Markdown next to the picture, not in it.
 *
 * The status comment draws it from its own marker's `recent_events` (no request), `tri agent log
 * --mermaid` from the thread's event markers; both go through `renderTimeline`, so they agree.
 */

export interface TimelineEvent {
  type: EventType;
  at: string;
  /** The event comment, for the link list. */
  commentId?: number;
  /** Pairs a deployment's outcome with its start, for the duration. */
  deploymentId?: string;
  /** A journal step's headline (user text: escaped before it is drawn). */
  title?: string;
  /** The event's point in the issue's timeline, as its event comment names it. */
  n?: number;
}

/** At most this many events are drawn; earlier ones are counted in one summary node. */
export const TIMELINE_DRAWN_LIMIT = 20;
/** A step's title is cut to this many characters in the picture (and in the marker). */
export const TIMELINE_TITLE_MAX = 40;

const LABELS: Readonly<Record<EventType, string>> = {
  sandbox_created: 'sandbox created',
  deployment_started: 'deployment started',
  deployment_succeeded: 'deployment succeeded',
  deployment_failed: 'deployment failed',
  step_completed: 'step',
  build_failed: 'build failed',
  sandbox_destroyed: 'sandbox destroyed',
  sandbox_refused: 'sandbox refused',
  deployment_waiting: 'deployment waiting',
  run_stopped: 'run stopped',
};

const OUTCOMES: ReadonlySet<EventType> = new Set([
  'deployment_succeeded',
  'deployment_failed',
  'build_failed',
  'deployment_waiting',
]);

const CLASS_OF: Partial<Record<EventType, 'ok' | 'bad' | 'held'>> = {
  sandbox_created: 'ok',
  deployment_succeeded: 'ok',
  deployment_failed: 'bad',
  build_failed: 'bad',
  sandbox_refused: 'bad',
  deployment_waiting: 'held',
  run_stopped: 'held',
};

/** A step's headline as the picture shows it: the message's first non-empty line, shortened. */
export function timelineTitle(message: string | undefined): string | undefined {
  const first = (message ?? '')
    .split('\n')
    .map((line) => line.replace(/^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+)*/, '').trim())
    .find((line) => line !== '');
  if (first === undefined) return undefined;
  const chars = [...first];
  return chars.length <= TIMELINE_TITLE_MAX ? first : `${chars.slice(0, TIMELINE_TITLE_MAX - 1).join('')}…`;
}

/**
 * A published event as the status marker's `recent_events` keeps it: the key and comment id the
 * publisher de-duplicates with, and what the picture draws. The title is redacted when the status
 * comment is rendered (status.ts), where the secrets are known.
 */
export function recentEventOf(event: JournalEvent, commentId: number, point?: number): RecentEvent {
  const title = event.type === 'step_completed' ? timelineTitle(event.message) : undefined;
  return {
    key: event.key,
    comment_id: commentId,
    type: event.type,
    at: event.at,
    ...(event.deployment ? { deployment_id: event.deployment.id } : {}),
    ...(title === undefined ? {} : { title }),
    ...(point === undefined ? {} : { n: point }),
  };
}

/** The entries of `recent_events` the picture can draw: older markers' entries lack type and time. */
export function timelineFromRecent(recent: readonly RecentEvent[]): TimelineEvent[] {
  return recent.flatMap((entry) =>
    entry.type === undefined || entry.at === undefined
      ? []
      : [
          {
            type: entry.type,
            at: entry.at,
            commentId: entry.comment_id,
            ...(entry.deployment_id === undefined ? {} : { deploymentId: entry.deployment_id }),
            ...(entry.title === undefined ? {} : { title: entry.title }),
            ...(entry.n === undefined ? {} : { n: entry.n }),
          },
        ],
  );
}

/*
 * Text inside a quoted Mermaid label. Only letters, digits, spaces and plain punctuation pass as
 * they are; quotes, brackets, pipes, backticks, `#`, `;`, `&` and the rest become Mermaid entity
 * codes (`#34;`), which Mermaid shows as the character and never parses as syntax. `<` and `>` are
 * replaced with look-alikes so no HTML tag can form after decoding; control characters and line
 * breaks become spaces, so a label is one line and cannot end the block or the ``` fence.
 */
const PLAIN = /[\p{L}\p{N} .,:_/+@!?()-]/u;

export function mermaidText(text: string): string {
  let out = '';
  for (const char of text) {
    if (PLAIN.test(char)) out += char;
    else if (char === '<') out += '‹';
    else if (char === '>') out += '›';
    else if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(char)) out += ' ';
    else out += `#${char.codePointAt(0) ?? 32};`;
  }
  // Labels are always quoted, so the only way out of one is a `"`, which never passes.
  return out.replace(/ {2,}/g, ' ').trim();
}

/** `2026-11-25T10:04:05.123Z` → `2026-11-25 10:04` (UTC); anything else is shown escaped. */
function shortTime(at: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(at);
  return match ? `${match[1]} ${match[2]}` : mermaidText(at.slice(0, 25));
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** For an outcome: how long since its deployment started, when the start is known. */
function durationOf(events: readonly TimelineEvent[], index: number): string | undefined {
  const event = events[index];
  if (event === undefined || !OUTCOMES.has(event.type) || event.deploymentId === undefined) return undefined;
  for (let i = index - 1; i >= 0; i -= 1) {
    const earlier = events[i];
    if (earlier?.type !== 'deployment_started' || earlier.deploymentId !== event.deploymentId) continue;
    const ms = Date.parse(event.at) - Date.parse(earlier.at);
    return Number.isNaN(ms) ? undefined : formatDuration(ms);
  }
  return undefined;
}

export interface TimelineOptions {
  /** The issue's URL: event comments are linked as `<url>#issuecomment-<id>`. */
  threadUrl?: string;
  /** Applied to user text (step titles) before escaping, e.g. the redaction of secrets. */
  clean?: (text: string) => string;
  /** Defaults to TIMELINE_DRAWN_LIMIT. */
  limit?: number;
}

/**
 * The picture and its link list as Markdown, or '' without events. `events` are in time order;
 * the last `limit` are drawn, the earlier ones summarised as "… and N earlier events".
 */
export function renderTimeline(events: readonly TimelineEvent[], options: TimelineOptions = {}): string {
  if (events.length === 0) return '';
  const limit = Math.max(1, options.limit ?? TIMELINE_DRAWN_LIMIT);
  const first = Math.max(0, events.length - limit);
  const earlier = first;
  const lines = ['```mermaid', 'flowchart TD'];
  const ids: string[] = [];
  if (earlier > 0) {
    lines.push(`  more["… and ${earlier} earlier event${earlier === 1 ? '' : 's'}"]`);
    ids.push('more');
  }
  const classes: Record<'ok' | 'bad' | 'held', string[]> = { ok: [], bad: [], held: [] };
  const links: string[] = [];
  // Points are the events' own numbers, which their comments name ("point 7 of the timeline"), when
  // every drawn event has one; events recorded before points existed are numbered as drawn.
  const absolute = events.slice(first).every((event) => event.n !== undefined);
  for (let index = first; index < events.length; index += 1) {
    const event = events[index] as TimelineEvent;
    const id = `e${index - first + 1}`;
    const number = absolute ? (event.n ?? 0) : index - first + 1;
    const title =
      event.title === undefined ? '' : ` ${mermaidText((options.clean ?? ((text) => text))(event.title))}`;
    const took = durationOf(events, index);
    const label =
      `${number}. ${EVENT_EMOJI[event.type]} ${LABELS[event.type]}${title}` +
      `<br/>${shortTime(event.at)}${took === undefined ? '' : ` · took ${took}`}`;
    lines.push(`  ${id}["${label}"]`);
    ids.push(id);
    const kind = CLASS_OF[event.type];
    if (kind !== undefined) classes[kind].push(id);
    links.push(
      event.commentId !== undefined && options.threadUrl !== undefined
        ? `[${number}](${options.threadUrl}#issuecomment-${event.commentId})`
        : String(number),
    );
  }
  if (ids.length > 1) lines.push(`  ${ids.join(' --> ')}`);
  lines.push(
    '  classDef ok fill:#dcffe4,stroke:#1a7f37',
    '  classDef bad fill:#ffebe9,stroke:#cf222e',
    '  classDef held fill:#fff8c5,stroke:#9a6700',
  );
  for (const [kind, members] of Object.entries(classes)) {
    if (members.length > 0) lines.push(`  class ${members.join(',')} ${kind}`);
  }
  lines.push('```');
  return `${lines.join('\n')}\n\n<sub>Event comments: ${links.join(' · ')}</sub>`;
}
