/**
 * The farm file on the real file system. Reads treat a missing file as an empty farm; updates
 * read, apply a pure mutation and replace the file atomically (a temp file in the same directory,
 * then rename), so a crash leaves the old file or the new one, never half of one. A corrupt file
 * is never overwritten: the mapping in it may be the only record of which services exist.
 */
import { readFile } from 'node:fs/promises';
import { resolveInsideRepository, writeFileAtomic } from '../files.js';
import type { FarmMutation } from './mutations.js';
import { parseFarm } from './parse.js';
import { serializeFarm } from './serialize.js';
import { emptyFarm, type Farm } from './types.js';

export interface FarmStore {
  /** The farm file's path relative to the repository root, as shown in messages. */
  readonly path: string;
  read(): Promise<Farm>;
  /** Applies `mutation` to the current file and writes the result; returns the farm written. */
  update(mutation: FarmMutation): Promise<Farm>;
}

export interface FileFarmStoreOptions {
  /** The repository's root directory (the checkout). */
  root: string;
  /** The farm file relative to `root` (the farm-path input; `.trinity/railway_farm.json` by default). */
  path: string;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function createFileFarmStore(options: FileFarmStoreOptions): FarmStore {
  const path = options.path;
  const file = resolveInsideRepository(options.root, path, { what: 'farm file path' });
  // Updates from one process run one after another, so two of them cannot lose each other's change.
  let queue: Promise<unknown> = Promise.resolve();

  const read = async (): Promise<Farm> => {
    const text = await readText(file);
    return text === undefined ? emptyFarm() : parseFarm(text, path);
  };

  const apply = async (mutation: FarmMutation): Promise<Farm> => {
    const farm = await read(); // throws FarmCorruptError before anything is written
    const next = mutation(farm);
    if (next === farm) return farm;
    const text = serializeFarm(next);
    // Never write what we could not read back (a mutation that broke the shape is a bug).
    const written = parseFarm(text, path);
    await writeFileAtomic(file, text);
    return written;
  };

  return {
    path,
    read,
    update(mutation) {
      const result = queue.then(() => apply(mutation));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
