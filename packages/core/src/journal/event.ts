import { EVENT_TYPES, type EventType } from '../events.js';
import { SANDBOX_STATUSES } from '../farm/types.js';

/**
 * One entry of an issue's journal (docs/formats.md, 'Issue comments' and 'Events'): what happened,
 * to which issue, and enough identifiers to link the Railway service, the deployment and the
 * workflow run. It is the input of the comment renderer and of the experience-file writer; nothing
 * here is sanitised yet, because the renderer does that in one place, just before the text leaves
 * the process.
 */
export interface JournalEvent {
  type: EventType;
  issue: number;
  /**
   * Idempotency key: a re-run that would post an event with the same key finds it in the thread
   * and posts nothing. Build it with `eventKey`.
   */
  key: string;
  /** When it happened, ISO-8601 (UTC). Passed in, never read from a clock here. */
  at: string;
  /** `owner/name`. */
  repo: string;
  /** Markdown written by a user or an agent. */
  message?: string;
  service?: { id: string; name?: string; projectId?: string; environmentId?: string };
  /** `stopped`: Railway's `deploymentStopped` (with SUCCESS, the app exited); shown, not stored in the marker. */
  deployment?: { id: string; status?: string; url?: string; stopped?: boolean };
  runUrl?: string;
  /** The last lines of the build or deployment logs; redacted before they are shown. */
  logTail?: string[];
  /** For `sandbox_refused`: who asked, why the gate said no, and how a maintainer can allow it. */
  refusal?: { who: string; why: string; how: string };
  details?: Record<string, string>;
}

/** The key of an event emitted by a workflow run: one per run attempt and action step. */
export interface RunKeyParts {
  runId: string | number;
  attempt: string | number;
  /** What the run did, e.g. `provision`, `deploy`, `deploy-result`, `destroy`. */
  action: string;
}

/** The key of a `tri agent step` event: one per linked session and step number. */
export interface StepKeyParts {
  sessionId: string;
  sequence: number;
}

/**
 * `<run_id>-<attempt>-<action>` or `<session_id>-<sequence>`. Whitespace is collapsed to `_` so a
 * key is always one token; everything else is kept, because the marker JSON escapes it anyway.
 * A re-run of a job gets a new attempt number, so its events are journaled again (on purpose: it
 * is a new attempt); a retried step inside one attempt reuses the key and is not.
 */
export function eventKey(parts: RunKeyParts | StepKeyParts): string {
  const pieces =
    'sessionId' in parts
      ? [parts.sessionId, String(parts.sequence)]
      : [String(parts.runId), String(parts.attempt), parts.action];
  const cleaned = pieces.map((piece) => piece.trim().replace(/\s+/g, '_'));
  if (cleaned.some((piece) => piece === '')) {
    throw new TypeError(`An event key needs every part; got ${JSON.stringify(parts)}.`);
  }
  return cleaned.join('-');
}

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * The states the status comment can show: the mapping's row states (docs/formats.md,
 * '.trinity/railway_farm.json') plus `refused`, which never gets a row because nothing was created,
 * `none`, for an issue journaled with `tri agent step` that has no sandbox (yet), and `stopped`: a
 * run was cancelled or timed out while it provisioned, deployed or destroyed, so nobody follows
 * what Railway does now (the mapping keeps its row state; the next run converges from it).
 */
export const SANDBOX_VIEW_STATES = [...SANDBOX_STATUSES, 'refused', 'none', 'stopped'] as const;

export type SandboxViewState = (typeof SANDBOX_VIEW_STATES)[number];

export function isSandboxViewState(value: unknown): value is SandboxViewState {
  return typeof value === 'string' && (SANDBOX_VIEW_STATES as readonly string[]).includes(value);
}
