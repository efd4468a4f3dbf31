// Fixtures of what GitHub and Railway answered: recorded by `npm run test:live` against the real
// services (docs/live-conformance.md), or transcribed from a cited source until someone records
// them. The emulator tests replay them, so an emulator's guess is checked against a fact.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RecordedAnswer {
  status: number;
  /** Only the headers the product reads (content type, rate limits, retry-after, location). */
  headers: Record<string, string>;
  /** GraphQL or REST `errors`, whole. */
  errors?: unknown[];
  /** A REST error's `message`. */
  message?: unknown;
  /** The shape (keys and kinds) of a GraphQL answer's `data`. */
  dataShape?: unknown;
  /** The shape of any other JSON body. */
  shape?: unknown;
}

export interface RecordedFixture {
  case: string;
  /** What was sent, in words. */
  what: string;
  source:
    | { kind: 'recorded'; at: string; by: string }
    /** Transcribed from a source: a docs URL, a file of Railway's CLI, a recorded fixture elsewhere. */
    | { kind: 'transcribed'; from: string };
  answer: RecordedAnswer;
  notes?: Record<string, unknown>;
}

const ROOT = new URL('../fixtures/recorded/', import.meta.url).pathname;

export function fixturePath(service: 'railway' | 'github', name: string): string {
  return join(ROOT, service, `${name}.json`);
}

export function loadFixtures(service: 'railway' | 'github'): Map<string, RecordedFixture> {
  const dir = join(ROOT, service);
  const fixtures = new Map<string, RecordedFixture>();
  if (!existsSync(dir)) return fixtures;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RecordedFixture;
    fixtures.set(fixture.case, fixture);
  }
  return fixtures;
}
