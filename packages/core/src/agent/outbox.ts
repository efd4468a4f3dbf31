import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { isEventType, type JournalEvent } from '../journal/event.js';
import { formatExperienceTimestamp } from '../journal/experience.js';

/**
 * Steps that could not be published (no token, no network, GitHub down) wait here, one JSON file
 * each, named so that they sort oldest first. `tri agent sync` publishes them in that order and
 * removes each once GitHub has it; publishing is idempotent by the event's key, so a sync that
 * dies half-way can simply run again.
 */
export const OUTBOX_DIR = '.trinity/outbox';

export interface OutboxEntry {
  v: 1;
  event: JournalEvent;
  /** The experience file the step wrote, relative to the repository root. */
  experience_file: string;
  queued_at: string;
  /** Why it was not published, for `tri agent status`. */
  reason: string;
}

export interface QueuedStep {
  /** The file name inside the outbox. */
  name: string;
  entry: OutboxEntry;
}

export async function enqueueStep(root: string, entry: OutboxEntry, at: Date): Promise<string> {
  const dir = join(root, OUTBOX_DIR);
  await mkdir(dir, { recursive: true });
  const base = `${formatExperienceTimestamp(at)}_${entry.event.issue}`;
  for (let n = 0; n < 1000; n++) {
    const name = `${base}_${String(n).padStart(3, '0')}.json`;
    try {
      const handle = await open(join(dir, name), 'wx');
      try {
        await handle.writeFile(`${JSON.stringify(entry, null, 2)}\n`, 'utf8');
      } finally {
        await handle.close();
      }
      return `${OUTBOX_DIR}/${name}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`Could not find a free outbox file name for ${base}`);
}

export async function listOutbox(root: string): Promise<QueuedStep[]> {
  const { steps, broken } = await readOutbox(root);
  const first = broken[0];
  if (first !== undefined) throw first.error;
  return steps;
}

/** An outbox file that is not a queued step, and why (the error says how to fix it). */
export interface BrokenOutboxEntry {
  name: string;
  error: UserError;
}

/**
 * The outbox as it is, broken entries apart: `tri agent status` reports them instead of failing,
 * so the command that would tell the user what is wrong stays usable.
 */
export async function readOutbox(
  root: string,
): Promise<{ steps: QueuedStep[]; broken: BrokenOutboxEntry[] }> {
  let names: string[];
  try {
    names = (await readdir(join(root, OUTBOX_DIR))).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { steps: [], broken: [] };
    throw error;
  }
  const steps: QueuedStep[] = [];
  const broken: BrokenOutboxEntry[] = [];
  for (const name of names) {
    const path = `${OUTBOX_DIR}/${name}`;
    try {
      steps.push({
        name,
        entry: toOutboxEntry(parseEntry(await readFile(join(root, path), 'utf8'), path), path),
      });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      broken.push({ name, error });
    }
  }
  return { steps, broken };
}

/** A truncated or hand-edited file is the user's to fix, not a crash. */
function parseEntry(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return notAStep(path, 'not valid JSON: truncated or edited by hand');
  }
}

function notAStep(path: string, what: string): never {
  throw new UserError(
    `${path} is not a queued step (${what}). Move it out of ${OUTBOX_DIR}/ and run tri agent sync again; ` +
      'its experience file still holds the step.',
  );
}

export async function removeFromOutbox(root: string, name: string): Promise<void> {
  await unlink(join(root, OUTBOX_DIR, name));
}

function toOutboxEntry(value: unknown, path: string): OutboxEntry {
  const fail = (what: string): never => notAStep(path, what);
  if (typeof value !== 'object' || value === null) return fail('not a JSON object');
  const entry = value as Record<string, unknown>;
  const event = entry.event as Record<string, unknown> | undefined;
  if (entry.v !== 1) return fail('unknown version');
  if (typeof event !== 'object' || event === null) return fail('no event');
  if (!isEventType(event.type) || typeof event.issue !== 'number' || typeof event.key !== 'string') {
    return fail('the event lacks a type, issue or key');
  }
  if (typeof event.repo !== 'string' || typeof event.at !== 'string')
    return fail('the event lacks a repo or time');
  if (typeof entry.experience_file !== 'string') return fail('no experience_file');
  return value as OutboxEntry;
}
