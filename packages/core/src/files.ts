/**
 * The files Trinity keeps in the checkout (the farm file, experience files, the current-issue
 * file) are written and located through these three helpers, so every layer that touches the
 * repository's files agrees on what "inside the repository" means and on how a file is replaced.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, posix, win32 } from 'node:path';
import { UserError } from './errors.js';

/**
 * Writes through a temporary file in the same directory, flushed to disk, then renamed over the
 * target: rename is atomic within one file system, so a reader (or a crash) sees the old file or
 * the new one, never half of one, and the flush means a crash cannot leave an empty file under
 * the real name.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * The segments of a repository-relative path once `.` and `..` are resolved, or undefined when
 * the path is absolute, climbs out of the repository or names the repository itself. Both `/` and
 * `\` separate segments, so a Windows-style path means the same on every runner.
 */
export function segmentsInsideRepository(relPath: string): string[] | undefined {
  if (posix.isAbsolute(relPath) || win32.isAbsolute(relPath)) return undefined;
  const segments: string[] = [];
  for (const segment of relPath.split(/[\\/]/)) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') segments.push(segment);
    else if (segments.pop() === undefined) return undefined;
  }
  return segments.length === 0 ? undefined : segments;
}

/**
 * The file `relPath` names under `root`, refusing a path that is not a file inside the
 * repository, so a path read from a mapping, an input or a flag can never point outside the
 * checkout.
 */
export function resolveInsideRepository(root: string, relPath: string, described: DescribedPath): string {
  const segments = segmentsInsideRepository(relPath);
  if (segments === undefined) throw new UserError(notInsideRepository(relPath, described));
  return join(root, ...segments);
}

/** How a caller names its path in the refusal, and optionally a good path to give instead. */
export interface DescribedPath {
  what: string;
  example?: string;
}

/** The sentence for a path that is not a file inside the repository, for every caller alike. */
export function notInsideRepository(relPath: string, described: DescribedPath): string {
  return (
    `The ${described.what} ${JSON.stringify(relPath)} does not name a file inside the repository. ` +
    'Give a path relative to the repository root' +
    (described.example === undefined ? '.' : `, such as ${described.example}.`)
  );
}

export function isErrnoException(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
