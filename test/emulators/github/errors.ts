/** GitHub's error bodies, so clients that branch on `message`/`errors` behave as they would in production. */

export const DOCS = 'https://docs.github.com/rest';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A body sent as is (custom media types such as `raw`), with its own content type. */
  raw?: { text: string; contentType: string };
}

/** Thrown by handlers; the server turns it into a reply (handlers stay linear, no early-return plumbing). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}) {
  // GitHub puts `status` as a string in error bodies since 2023.
  return { message, ...extra, documentation_url: DOCS, status: String(status) };
}

export function fail(status: number, message: string, extra: Record<string, unknown> = {}): never {
  throw new ApiError(status, errorBody(status, message, extra));
}

export const notFound = (message = 'Not Found'): never => fail(404, message);

export function validationFailed(
  errors: Array<{ resource: string; code: string; field: string; message?: string }>,
): never {
  return fail(422, 'Validation Failed', { errors });
}

/** GitHub's wording for schema failures: `Invalid request.\n\n<detail>`. */
export const invalidRequest = (detail: string): never => fail(422, `Invalid request.\n\n${detail}`);
