// Records what the real services answer during `npm run test:live`, secrets stripped, as fixtures
// that the emulator tests replay (test/emulators/*/recorded.test.ts). A fixture keeps what the
// product branches on (status, error wordings and codes, which headers came, how many log lines)
// and the shape of successful data, not whole bodies: those carry ids and people's names.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactKnownSecrets } from '../../packages/core/src/secrets.js';
import { fixturePath, type RecordedAnswer, type RecordedFixture } from '../support/recorded.js';

export interface Exchange {
  case: string;
  answer: RecordedAnswer;
}

export interface Recorder {
  /**
   * Names the case the following exchanges belong to. Its fixture is its last answer, or with
   * `keep: 'first-failure'` its first failed answer (a race's losing write, say).
   */
  begin(caseName: string, what: string, options?: { keep: 'last' | 'first-failure' }): void;
  /** Notes a fact the case established that is not in one answer (say, a count). */
  note(key: string, value: unknown): void;
  /** Records one answer under the current case; the last answer of a case is its fixture. */
  record(answer: RecordedAnswer): void;
  /** Writes one fixture per case under test/fixtures/recorded/<service>/. */
  save(): string[];
}

export function createRecorder(service: 'railway' | 'github', secrets: readonly string[]): Recorder {
  interface Case {
    what: string;
    keep: 'last' | 'first-failure';
    answers: RecordedAnswer[];
    notes: Record<string, unknown>;
  }
  const cases = new Map<string, Case>();
  let current: string | undefined;
  const strip = (value: unknown): unknown => redactDeep(value, secrets);
  return {
    begin(caseName, what, options) {
      current = caseName;
      cases.set(caseName, { what, keep: options?.keep ?? 'last', answers: [], notes: {} });
    },
    note(key, value) {
      const open = current === undefined ? undefined : cases.get(current);
      if (open !== undefined) open.notes[key] = strip(value);
    },
    record(answer) {
      const open = current === undefined ? undefined : cases.get(current);
      if (open !== undefined) open.answers.push(strip(answer) as RecordedAnswer);
    },
    save() {
      const written: string[] = [];
      for (const [name, { what, keep, answers, notes }] of cases) {
        // A failure is a 4xx/5xx or, GraphQL's way, a 200 that carries `errors`.
        const failed = (a: RecordedAnswer) => a.status >= 400 || (a.errors?.length ?? 0) > 0;
        const kept = keep === 'first-failure' ? answers.find(failed) : answers.at(-1);
        if (kept === undefined) continue;
        const fixture: RecordedFixture = {
          case: name,
          what,
          source: { kind: 'recorded', at: new Date().toISOString(), by: 'npm run test:live' },
          answer: kept,
          ...(Object.keys(notes).length > 0 ? { notes } : {}),
        };
        // TRINITY_LIVE_RECORD_DIR sends a dry run (against the emulators) somewhere harmless.
        const dir = process.env.TRINITY_LIVE_RECORD_DIR;
        const path = dir ? join(dir, service, `${name}.json`) : fixturePath(service, name);
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, `${JSON.stringify(fixture, null, 2)}\n`);
        written.push(path);
      }
      return written;
    },
  };
}

const HEADERS_KEPT = /^(content-type|retry-after|x-ratelimit-|ratelimit|x-github-media-type|location)/i;

/** What of an HTTP answer a fixture keeps: status, the headers that matter, errors whole, data as shape. */
export function summarise(status: number, headers: Headers, body: unknown): RecordedAnswer {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (HEADERS_KEPT.test(name)) kept[name.toLowerCase()] = value;
  });
  const object = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  const errors = object?.['errors'];
  return {
    status,
    headers: kept,
    ...(Array.isArray(errors) ? { errors } : {}),
    ...(object !== undefined && 'message' in object ? { message: object['message'] } : {}),
    ...(object !== undefined && 'data' in object ? { dataShape: shapeOf(object['data']) } : {}),
    ...(object !== undefined && !('data' in object) && !('message' in object)
      ? { shape: shapeOf(body) }
      : {}),
  };
}

/** The keys and kinds of a value, not its contents: `{ id: 'string', list: ['number'] }`. */
export function shapeOf(value: unknown): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shapeOf(v)]),
    );
  }
  return typeof value;
}

function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactKnownSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)]));
  }
  return value;
}
