import { UserError, describeFailure } from '@trinity/core';

/** `tri`'s exit codes; documented in docs/cli.md and `tri --help`. */
export const EXIT = {
  ok: 0,
  /** An outage or a bug: GitHub down, an unexpected answer, a crash. Re-run; report if it persists. */
  failure: 1,
  /** The command line itself is wrong: unknown command or option, missing or extra argument. */
  usage: 2,
  /** Something the user can fix: nothing linked, not bound, a corrupt file, a bad issue or token. */
  user: 3,
  /** `tri doctor` found something that makes a run fail (its findings say what to change). */
  checksFailed: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The command line is wrong. `help` names the command whose `--help` to suggest. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
  constructor(
    message: string,
    readonly help: string = 'tri',
  ) {
    super(message);
  }
}

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof UserError) return EXIT.user;
  return EXIT.failure;
}

/** What `tri` prints on stderr for a failure (before redaction). */
export function failureMessage(error: unknown): string {
  if (error instanceof UsageError) return `${error.message}\nRun \`${error.help} --help\` for usage.`;
  return describeFailure(error).replace(/re-run the job/, 're-run the command');
}
