// The fetch that graphql-request is given. It exists for three reasons:
// - every answer's headers pass through it, so the rate-limit tracker sees them all, failures
//   included (graphql-request only hands headers back on success);
// - it bounds each request with a timeout, since a hung connection would otherwise hold a
//   workflow step until the job's own limit;
// - it reads the whole body itself and lets only a well-formed 2xx JSON object through. Anything
//   else becomes an `HttpAnswer` failure that the client classifies, so graphql-request never builds
//   its `ClientError`, whose message embeds the request's variables (secrets) as JSON.
// Its small parsers (a JSON object, an HTML page's text) are hand-written on purpose: they read the
// answers that are not GraphQL (Cloudflare pages, proxies' errors), which no schema describes.

/** A non-2xx answer, or a 2xx answer that is not a JSON object. Internal: the client translates it. */
export class HttpAnswer extends Error {
  override readonly name = 'HttpAnswer';
  constructor(
    readonly status: number,
    readonly contentType: string | null,
    readonly headers: Headers,
    readonly body: string,
    /** The body parsed as JSON when it is a JSON object. */
    readonly json: Record<string, unknown> | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

/** No answer at all: refused, reset or dropped connection, DNS failure, timeout. Internal. */
export class NoAnswer extends Error {
  override readonly name = 'NoAnswer';
  constructor(
    readonly timedOut: boolean,
    readonly detail: string,
    /** The connection was never established, so the request did not leave this machine. */
    readonly neverSent: boolean,
  ) {
    super(detail);
  }
}

/**
 * Error codes (Node's and undici's) that mean no connection was made: nothing was sent. A reset,
 * a closed socket or a timeout may come after the request went out, so they are not listed.
 */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export interface TransportOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  /** Makes the timeout signal; AbortSignal.timeout unless a test injects its own. */
  abortAfter: (ms: number) => AbortSignal;
  onHeaders: (headers: Headers) => void;
}

export function createTransport(options: TransportOptions): typeof fetch {
  return async (input, init) => {
    const timeout = options.abortAfter(options.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    let body: string;
    try {
      response = await options.fetch(input, { ...init, signal });
      options.onHeaders(response.headers);
      body = await response.text();
    } catch (error) {
      throw new NoAnswer(
        timeout.aborted,
        timeout.aborted ? `no answer within ${options.timeoutMs} ms` : describeCause(error),
        !timeout.aborted && causeCodes(error).some((code) => NEVER_SENT_CODES.has(code)),
      );
    }
    const contentType = response.headers.get('content-type');
    const json = contentType && /json/i.test(contentType) ? parseObject(body) : undefined;
    if (!response.ok || json === undefined) {
      throw new HttpAnswer(response.status, contentType, response.headers, body, json);
    }
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Node's fetch says only "fetch failed"; the useful part (ECONNRESET, "other side closed") is the cause. */
function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(
      typeof code === 'string' && !current.message.includes(code)
        ? `${current.message} (${code})`
        : current.message,
    );
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}

function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = current.cause;
  }
  return codes;
}

const EXCERPT_LENGTH = 200;

/**
 * A short, readable excerpt of a non-GraphQL body: for an HTML page (Cloudflare) its title and
 * visible text, for JSON the error messages, otherwise the text itself.
 */
export function excerptOf(answer: HttpAnswer): string {
  const messages = graphQLMessages(answer.json);
  if (messages.length > 0) return truncate(messages.join('; '));
  if (answer.contentType && /html/i.test(answer.contentType)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(answer.body)?.[1]?.trim() ?? '';
    const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(answer.body)?.[1] ?? answer.body;
    const text = collapse(
      body
        .replace(/<!--[\s\S]*?-->/g, ' ')
        .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<[^>]+>/g, ' '),
    );
    return truncate([collapse(title), text].filter(Boolean).join(' — '));
  }
  return truncate(collapse(answer.body));
}

export function graphQLMessages(json: Record<string, unknown> | undefined): string[] {
  const errors = json?.['errors'];
  if (!Array.isArray(errors)) return [];
  return errors.map((e: unknown) => {
    const message = typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : undefined;
    return typeof message === 'string' ? message : JSON.stringify(e);
  });
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();
const truncate = (text: string): string =>
  text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH - 1)}…` : text;
