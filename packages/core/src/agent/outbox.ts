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
  let names: string[];
  try {
    names = (await readdir(join(root, OUTBOX_DIR))).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const steps: QueuedStep[] = [];
  for (const name of names) {
    const path = `${OUTBOX_DIR}/${name}`;
    steps.push({
      name,
      entry: toOutboxEntry(JSON.parse(await readFile(join(root, path), 'utf8')) as unknown, path),
    });
  }
  return steps;
}

export async function removeFromOutbox(root: string, name: string): Promise<void> {
  await unlink(join(root, OUTBOX_DIR, name));
}

function toOutboxEntry(value: unknown, path: string): OutboxEntry {
  const fail = (what: string): never => {
    throw new UserError(
      `${path} is not a queued step (${what}). Move it out of ${OUTBOX_DIR}/ and run tri agent sync again; ` +
        'its experience file still holds the step.',
    );
  };
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
