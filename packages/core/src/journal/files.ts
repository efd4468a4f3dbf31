import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';

/**
 * Writes through a temporary file in the same directory and renames it over the target, so a
 * reader (or a crash) never sees half a file: rename is atomic within one file system.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Resolves a repository-relative POSIX path under `root`, refusing absolute paths and `..`, so a
 * path read from a mapping or an input can never point outside the checkout.
 */
export function resolveUnder(root: string, relPath: string): string {
  const normalised = path.posix.normalize(relPath);
  if (
    path.posix.isAbsolute(normalised) ||
    path.win32.isAbsolute(relPath) ||
    normalised.split('/').includes('..')
  ) {
    throw new UserError(
      `The path ${JSON.stringify(relPath)} is not inside the repository. ` +
        'Give a path relative to the repository root, such as .trinity/experience/20261123T194501123Z_506.md.',
    );
  }
  return path.join(root, ...normalised.split('/'));
}

export function isErrnoException(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
