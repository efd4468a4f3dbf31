import type { EventType } from '../events.js';
import { isEventType, isSandboxViewState, type SandboxViewState } from './event.js';

/**
 * The hidden markers (docs/formats.md, 'Issue comments') are part of the product's interface:
 * `tri agent log` and other tools rebuild the timeline from them, and the publisher finds an
 * event's key in the thread to avoid posting it twice. Each is one HTML comment on one line with a
 * JSON payload:
 *
 *   <!-- trinity:event {"v":1,"type":"deployment_succeeded","issue":506,"key":"…","at":"…"} -->
 *   <!-- trinity:status {"v":1,"issue":506,"state":"live","updated_at":"…"} -->
 *
 * Keys are written in a fixed order so the same input gives the same bytes.
 */
export const MARKER_VERSION = 1;

export interface EventMarker {
  v: 1;
  type: EventType;
  issue: number;
  key: string;
  at: string;
  service_id?: string;
  deployment_id?: string;
  /** The event's point in the issue's timeline: its number among the issue's events, from 1. */
  n?: number;
}

export interface StatusMarker {
  v: 1;
  issue: number;
  state: SandboxViewState;
  updated_at: string;
  repo?: string;
  service_id?: string;
  deployment_id?: string;
  deployment_status?: string;
  url?: string;
  last_event?: EventType;
  last_event_at?: string;
  /**
   * The latest events published (newest last, at most RECENT_EVENTS_LIMIT). The publisher checks a
   * new event's key here, so a re-run is recognised with one read of this comment, however long
   * the thread and however long ago the event was posted.
   */
  recent_events?: RecentEvent[];
  /**
   * How many events the issue has had, so a new event's point in the timeline continues the count
   * past the RECENT_EVENTS_LIMIT entries kept. Absent in markers written before it existed.
   */
  events_total?: number;
}

/**
 * One published event as the status marker remembers it. `key` and `comment_id` let the publisher
 * recognise a re-run; the rest (added later, so optional: older markers have only the first two)
 * is what the timeline picture draws, so drawing it costs no request.
 */
export interface RecentEvent {
  key: string;
  comment_id: number;
  type?: EventType;
  at?: string;
  deployment_id?: string;
  /** A journal step's headline, shortened (timeline.ts, TIMELINE_TITLE_MAX) and redacted. */
  title?: string;
  /** The event's point in the timeline (EventMarker.n). */
  n?: number;
}

export const RECENT_EVENTS_LIMIT = 50;

export type ParsedMarker = { kind: 'event'; marker: EventMarker } | { kind: 'status'; marker: StatusMarker };

/**
 * JSON text that can sit inside an HTML comment on one line: `<` and `>` become `\u003c` and
 * `\u003e` (so neither `-->` nor `<!--` can appear), and U+2028/U+2029 are escaped because some
 * line splitters treat them as newlines. JSON.stringify already escapes control characters, and
 * JSON.parse reads every one of these escapes back to the original character.
 */
export function markerJson(payload: object): string {
  return JSON.stringify(payload).replace(/[<>\u2028\u2029]/g, (char) => {
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function assertIssue(issue: number): void {
  if (!Number.isSafeInteger(issue) || issue < 1) {
    throw new TypeError(`A marker needs a positive issue number; got ${String(issue)}.`);
  }
}

export function renderEventMarker(marker: Omit<EventMarker, 'v'>): string {
  assertIssue(marker.issue);
  const payload: EventMarker = {
    v: MARKER_VERSION,
    type: marker.type,
    issue: marker.issue,
    key: marker.key,
    at: marker.at,
  };
  if (marker.service_id !== undefined) payload.service_id = marker.service_id;
  if (marker.deployment_id !== undefined) payload.deployment_id = marker.deployment_id;
  if (marker.n !== undefined) payload.n = marker.n;
  return `<!-- trinity:event ${markerJson(payload)} -->`;
}

const STATUS_OPTIONAL = [
  'repo',
  'service_id',
  'deployment_id',
  'deployment_status',
  'url',
  'last_event',
  'last_event_at',
  'recent_events',
  'events_total',
] as const;

export function renderStatusMarker(marker: Omit<StatusMarker, 'v'>): string {
  assertIssue(marker.issue);
  const payload: Record<string, unknown> = {
    v: MARKER_VERSION,
    issue: marker.issue,
    state: marker.state,
    updated_at: marker.updated_at,
  };
  for (const name of STATUS_OPTIONAL) {
    if (marker[name] !== undefined) payload[name] = marker[name];
  }
  return `<!-- trinity:status ${markerJson(payload)} -->`;
}

/*
 * The payload is taken up to the first ` -->` on the same line; our own JSON never contains `>`,
 * so that is always the real end. Anything that does not parse or validate is skipped, not thrown:
 * a thread is full of text we did not write.
 */
const MARKER_PATTERN = /<!-- trinity:(event|status) ([^\n]*?) -->/g;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

const isIssue = isPositiveInteger;

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function toEventMarker(value: unknown): EventMarker | undefined {
  if (!isRecord(value) || value.v !== MARKER_VERSION) return undefined;
  const { type, issue, key, at } = value;
  if (!isEventType(type) || !isIssue(issue) || typeof key !== 'string' || key === '') return undefined;
  if (typeof at !== 'string') return undefined;
  const marker: EventMarker = { v: MARKER_VERSION, type, issue, key, at };
  const serviceId = optionalString(value.service_id);
  const deploymentId = optionalString(value.deployment_id);
  if (serviceId !== undefined) marker.service_id = serviceId;
  if (deploymentId !== undefined) marker.deployment_id = deploymentId;
  if (isPositiveInteger(value.n)) marker.n = value.n;
  return marker;
}

export function toStatusMarker(value: unknown): StatusMarker | undefined {
  if (!isRecord(value) || value.v !== MARKER_VERSION) return undefined;
  const { issue, state, updated_at: updatedAt } = value;
  if (!isIssue(issue) || !isSandboxViewState(state) || typeof updatedAt !== 'string') return undefined;
  const marker: StatusMarker = { v: MARKER_VERSION, issue, state, updated_at: updatedAt };
  // Optional fields of the wrong type are dropped rather than failing the whole marker.
  for (const name of ['repo', 'service_id', 'deployment_id', 'deployment_status', 'url'] as const) {
    const text = optionalString(value[name]);
    if (text !== undefined) marker[name] = text;
  }
  if (isEventType(value.last_event)) marker.last_event = value.last_event;
  const lastAt = optionalString(value.last_event_at);
  if (lastAt !== undefined) marker.last_event_at = lastAt;
  if (Array.isArray(value.recent_events)) {
    marker.recent_events = value.recent_events.flatMap((entry: unknown) => {
      const recent = toRecentEvent(entry);
      return recent === undefined ? [] : [recent];
    });
  }
  if (isPositiveInteger(value.events_total)) marker.events_total = value.events_total;
  return marker;
}

/** An entry of `recent_events` in its fixed key order; optional fields of the wrong type are dropped. */
export function toRecentEvent(entry: unknown): RecentEvent | undefined {
  if (!isRecord(entry) || typeof entry.key !== 'string' || entry.key === '' || !isIssue(entry.comment_id))
    return undefined;
  const recent: RecentEvent = { key: entry.key, comment_id: entry.comment_id };
  if (isEventType(entry.type)) recent.type = entry.type;
  for (const name of ['at', 'deployment_id', 'title'] as const) {
    const text = optionalString(entry[name]);
    if (text !== undefined) recent[name] = text;
  }
  if (isPositiveInteger(entry.n)) recent.n = entry.n;
  return recent;
}

/** Every well-formed marker in `body`, in order of appearance. */
export function parseMarkers(body: string): ParsedMarker[] {
  const found: ParsedMarker[] = [];
  for (const match of body.matchAll(MARKER_PATTERN)) {
    let payload: unknown;
    try {
      payload = JSON.parse(match[2] ?? '');
    } catch {
      continue;
    }
    if (match[1] === 'event') {
      const marker = toEventMarker(payload);
      if (marker) found.push({ kind: 'event', marker });
    } else {
      const marker = toStatusMarker(payload);
      if (marker) found.push({ kind: 'status', marker });
    }
  }
  return found;
}

/** The first event marker of a comment, if it has one. */
export function findEventMarker(body: string): EventMarker | undefined {
  for (const parsed of parseMarkers(body)) if (parsed.kind === 'event') return parsed.marker;
  return undefined;
}

/** The first status marker of a comment, if it has one. */
export function findStatusMarker(body: string): StatusMarker | undefined {
  for (const parsed of parseMarkers(body)) if (parsed.kind === 'status') return parsed.marker;
  return undefined;
}

/** The idempotency key of an event comment, or `undefined` for any other comment. */
export function findEventKey(body: string): string | undefined {
  return findEventMarker(body)?.key;
}
