/** Request validation against GitHub's vendored OpenAPI description, with GitHub's 422 wording. */
import { readFileSync } from 'node:fs';
import { OpenAPIBackend, type Request as OabRequest } from 'openapi-backend';
import { invalidRequest } from './errors.js';

const DEFINITION_URL = new URL('../../../vendor/github/rest-api-subset.json', import.meta.url);
/**
 * Operations `tri doctor` reads that the subset lacks, transcribed from `@octokit/openapi-types` (see
 * its `info.description`); kept apart so the subset stays byte-identical to its source.
 */
const ADDITIONS_URL = new URL('../../../vendor/github/rest-api-doctor-additions.json', import.meta.url);

interface Description {
  paths: Record<string, unknown>;
  components: Record<string, Record<string, unknown>>;
}

/** The subset with the additions' paths and components merged in (the subset wins on a clash). */
function loadDefinition(): unknown {
  const subset = JSON.parse(readFileSync(DEFINITION_URL, 'utf8')) as Description;
  const additions = JSON.parse(readFileSync(ADDITIONS_URL, 'utf8')) as Description;
  const components: Description['components'] = { ...subset.components };
  for (const [kind, entries] of Object.entries(additions.components)) {
    components[kind] = { ...entries, ...subset.components[kind] };
  }
  return { ...subset, paths: { ...additions.paths, ...subset.paths }, components };
}

type ErrorObject = NonNullable<ReturnType<OpenAPIBackend['validateRequest']>['errors']>[number];

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

export interface MatchedRoute {
  operationId: string;
  params: Record<string, string>;
}

export interface Validator {
  readonly initMs: number;
  match(method: string, path: string): MatchedRoute | undefined;
  /** Throws ApiError(422) in GitHub's shape when the request does not fit the description. */
  validate(method: string, path: string, query: Record<string, string>, body: unknown): void;
}

/**
 * Octokit sends `{path}` and `{ref}` with `/` encoded as `%2F`, other clients send them plain; GitHub accepts
 * both. openapi-backend only matches a single segment, so the tail is folded into one encoded segment.
 */
export function normalizePath(path: string): string {
  const m = /^(\/repos\/[^/]+\/[^/]+\/(?:contents|git\/refs?))\/(.+)$/.exec(path);
  if (!m || !m[1] || !m[2]) return path;
  return `${m[1]}/${m[2].replace(/\//g, '%2F')}`;
}

export async function createValidator(): Promise<Validator> {
  const started = performance.now();
  const definition: unknown = fixNullableCombinators(loadDefinition());
  const api = new OpenAPIBackend({
    definition: definition as ConstructorParameters<typeof OpenAPIBackend>[0]['definition'],
    // quick: skips validating the whole description upfront (seconds); request validators compile lazily.
    quick: true,
    customizeAjv: (ajv) => {
      ajv.addFormat('date-time', ISO_DATE_TIME);
      // Response-only formats: known to ajv so it does not warn, never checked on requests.
      ajv.addFormat('uri', true);
      ajv.addFormat('timestamp', true);
      return ajv;
    },
  });
  await api.init();
  const initMs = performance.now() - started;

  const toReq = (method: string, path: string, query: Record<string, string> = {}, body?: unknown) =>
    ({
      method,
      path: normalizePath(path),
      query,
      body,
      headers: { 'content-type': 'application/json' },
    }) satisfies OabRequest;

  return {
    initMs,
    match(method, path) {
      const req = toReq(method, path);
      const op = api.matchOperation(req);
      if (!op?.operationId) return undefined;
      const parsed = api.router.parseRequest(req, op);
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(parsed.params as Record<string, unknown>)) params[k] = String(v);
      return { operationId: op.operationId, params };
    },
    validate(method, path, query, body) {
      const req = toReq(method, path, query, body);
      const result = api.validateRequest(req);
      if (result.valid || !result.errors) return;
      invalidRequest(describeErrors(result.errors, query, body));
    },
  };
}

/**
 * GitHub's description writes `nullable: true` beside `oneOf` without `type` (e.g. PATCH issue `title`),
 * which ajv refuses to compile. Same meaning, ajv-compatible: a `null` branch in the combinator.
 */
function fixNullableCombinators(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fixNullableCombinators);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = fixNullableCombinators(v);
  if (out.nullable === true && !('type' in out)) {
    delete out.nullable;
    for (const key of ['oneOf', 'anyOf']) {
      const list = out[key];
      if (Array.isArray(list)) out[key] = [...(list as unknown[]), { type: 'null' }];
    }
  }
  return out;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function valueAt(root: unknown, pointer: string[]): unknown {
  let cur = root;
  for (const seg of pointer) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** `/requestBody/tree/0/mode` → `properties/tree/items/properties/mode` (GitHub names schema locations). */
function schemaLocation(segments: string[]): string {
  return segments.map((s) => (/^\d+$/.test(s) ? 'items' : `properties/${s}`)).join('/');
}

function describeErrors(errors: ErrorObject[], query: Record<string, string>, body: unknown): string {
  const missing: string[] = [];
  const lines: string[] = [];
  const relevant = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  // A oneOf failure reports every branch; GitHub names one problem, so keep the first.
  const picked = errors.some((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    ? relevant.slice(0, 1)
    : relevant;
  for (const e of picked) {
    const [where = '', ...rest] = e.instancePath.split('/').filter(Boolean);
    const isQuery = where === 'query' || where === 'path';
    const value = isQuery ? valueAt(query, rest) : valueAt(body, rest);
    const name = isQuery ? rest.join('/') : schemaLocation(rest);
    const shown = JSON.stringify(value) ?? 'null';
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required') {
      missing.push(`"${String(params.missingProperty)}"`);
    } else if (e.keyword === 'type') {
      lines.push(`For '${name}', ${shown} is not ${article(String(params.type))}.`);
    } else if (e.keyword === 'enum') {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      lines.push(
        `For '${name}', ${shown} is not a member of [${allowed.map((a) => JSON.stringify(a)).join(', ')}].`,
      );
    } else {
      lines.push(`For '${name}', ${shown} ${e.message ?? 'is invalid'}.`);
    }
  }
  if (missing.length === 1) lines.unshift(`${missing[0]} wasn't supplied.`);
  if (missing.length > 1) lines.unshift(`${missing.join(', ')} weren't supplied.`);
  return [...new Set(lines)].join('\n');
}
