import { UserError } from './errors.js';

/**
 * A failure of the working copy's own files (`.trinity/…`), as the user can fix it: a file where a
 * directory belongs, a read-only checkout, a full disk. Node's errno codes are stable
 * (https://nodejs.org/api/errors.html#common-system-errors); anything else is left as it is.
 */
export class LocalStateError extends UserError {
  override readonly name: string = 'LocalStateError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

interface ErrnoShape {
  code?: unknown;
  path?: unknown;
  syscall?: unknown;
}

const FIXES: Record<string, (path: string) => string> = {
  ENOTDIR: (path) =>
    `a part of ${path} is a file where a directory belongs (is .trinity a file?). Move that file away ` +
    '(for example `mv .trinity .trinity.bak`) and run the command again',
  EEXIST: (path) =>
    `${path} exists as a file where a directory belongs (is .trinity a file?). Move it away ` +
    '(for example `mv .trinity .trinity.bak`) and run the command again',
  EISDIR: (path) => `${path} is a directory where a file belongs. Move it away and run the command again`,
  EACCES: (path) =>
    `${path} may not be written (permission denied): the working copy is read-only for this user. ` +
    'Make it writable (`chmod -R u+w .trinity`) or run tri from a clone you can write to',
  EPERM: (path) =>
    `${path} may not be written (operation not permitted). Make the working copy writable or run tri ` +
    'from a clone you can write to',
  EROFS: (path) => `${path} is on a read-only file system. Run tri from a clone on a writable disk`,
  ENOSPC: (path) =>
    `there is no space left on the disk holding ${path}. Free some space and run the command again`,
};

/** The user error for a local file failure, or the error unchanged. */
export function explainLocalFailure(error: unknown): unknown {
  if (typeof error !== 'object' || error === null || error instanceof UserError) return error;
  const { code, path, syscall } = error as ErrnoShape;
  if (typeof code !== 'string' || typeof path !== 'string') return error;
  const fix = FIXES[code];
  if (fix === undefined) return error;
  const shown = shortPath(path);
  const what = typeof syscall === 'string' ? `${syscall} ${shown}` : shown;
  return new LocalStateError(`Cannot ${what} (${code}): ${fix(shown)}.`, code);
}

/** Paths inside the working copy are shown from `.trinity/` on: the rest is the user's machine. */
function shortPath(path: string): string {
  const at = path.replace(/\\/g, '/').lastIndexOf('/.trinity');
  return at === -1 ? path : path.replace(/\\/g, '/').slice(at + 1);
}
