/**
 * Two kinds of failure (codeql-action's split). A `UserError` is something the person running
 * the action or the CLI can fix: a bad input, a missing permission, a corrupt file. Its message
 * says what failed, why, and how to fix it, and is shown as is. Everything else is an outage or a
 * bug, and is reported with a hint to retry or to file an issue.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
}

/** A user error about one action input or CLI option; the message names the input. */
export class InputError extends UserError {
  override readonly name: string = 'InputError';
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** The text a top-level handler shows for any thrown value. */
export function describeFailure(error: unknown): string {
  if (error instanceof UserError) return error.message;
  const detail = error instanceof Error ? error.message : String(error);
  return (
    `Unexpected failure: ${detail}. This is an outage or a bug, not a problem with your inputs: ` +
    're-run the job; if it fails again, open an issue with this log.'
  );
}
