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

/**
 * An HTTP failure whose body is an HTML page (GitHub's "Unicorn!" page behind a 5xx, a proxy's error
 * page): Octokit makes the whole page the error's message, hundreds of lines that hide the status.
 * Said as the status and the page's title instead; found by the answer's content type, not its text.
 */
function htmlPageFailure(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, response } = error as {
    status?: unknown;
    response?: { headers?: Record<string, unknown> };
  };
  const contentType = response?.headers?.['content-type'];
  if (typeof status !== 'number' || typeof contentType !== 'string' || !contentType.startsWith('text/html'))
    return undefined;
  const message = error instanceof Error ? error.message : '';
  const title = /<title>([^<]{1,200})<\/title>/i
    .exec(message)?.[1]
    ?.replace(/&middot;/g, '·')
    .trim();
  return `HTTP ${status} with an HTML error page instead of an API answer${title === undefined ? '' : ` ("${title}")`}`;
}

/** The text a top-level handler shows for any thrown value. */
export function describeFailure(error: unknown): string {
  if (error instanceof UserError) return error.message;
  const detail = htmlPageFailure(error) ?? (error instanceof Error ? error.message : String(error));
  return (
    `Unexpected failure: ${detail}. This is an outage or a bug, not a problem with your inputs: ` +
    're-run the job; if it fails again, open an issue with this log.'
  );
}
