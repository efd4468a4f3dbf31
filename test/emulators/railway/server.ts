import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { execute, getOperationAST, GraphQLError, Kind, parse, validate } from 'graphql';
import type {
  DocumentNode,
  ExecutionResult,
  GraphQLFieldResolver,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';
import type { RequestAuth, TokenRegistry } from './auth.js';
import { faultAnswer } from './faults.js';
import type { FaultPlan } from './faults.js';
import { mutationRoot } from './mutations.js';
import { queryRoot } from './queries.js';
import type { RootField } from './queries.js';
import type { RateLimiter } from './ratelimit.js';
import type { Store } from './state.js';
import type { Progression, RailwayRequestLogEntry } from './types.js';
import type { Ctx } from './views.js';

export const GRAPHQL_PATH = '/graphql/v2';

export interface ServerDeps {
  schema: GraphQLSchema;
  store: Store;
  tokens: TokenRegistry;
  faults: FaultPlan;
  limiter: RateLimiter;
  log: RailwayRequestLogEntry[];
  progression: Progression;
  /** HTTP status for documents that fail parsing or validation (see README). */
  invalidDocumentStatus: number;
}

interface Answer {
  status: number;
  body: { errors?: unknown[]; data?: unknown };
}

/**
 * Like graphql-js' default resolver, except that a field the emulator's view does not define is an
 * error, not a silent null: a client reading a field the emulator cannot vouch for must notice.
 */
const strictFieldResolver: GraphQLFieldResolver<unknown, Ctx> = (source, args, ctx, info) => {
  if (typeof source === 'object' && source !== null && info.fieldName in source) {
    const value: unknown = (source as Record<string, unknown>)[info.fieldName];
    return typeof value === 'function' ? (value as (a: unknown, c: Ctx) => unknown)(args, ctx) : value;
  }
  throw new Error(`Emulator: field "${info.parentType.name}.${info.fieldName}" is not implemented`);
};

const ROOTS: Record<string, Record<string, RootField>> = {
  query: queryRoot,
  mutation: mutationRoot,
  subscription: {},
};

export function startServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        send(res, 500, {}, JSON.stringify({ errors: [{ message: `Emulator crashed: ${String(err)}` }] }));
      }
    });
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}

function firstRootField(op: OperationDefinitionNode | null | undefined): string | null {
  const field = op?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return field?.kind === Kind.FIELD ? field.name.value : null;
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (req.method !== 'POST' || path !== GRAPHQL_PATH) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not Found');
    return;
  }
  const auth = deps.tokens.resolve(req.headers);
  const raw = await readBody(req);
  const entry: RailwayRequestLogEntry = {
    operationName: null,
    operation: null,
    query: '',
    variables: {},
    authKind: auth.kind,
    tokenHint: auth.token ? auth.token.slice(-4) : null,
    status: 0,
    at: deps.store.clock(),
  };
  deps.log.push(entry);
  const finish = (status: number, headers: Record<string, string>, body: Answer['body'] | string) => {
    entry.status = status;
    if (typeof body === 'object' && body.errors) {
      entry.errors = body.errors.map((e) =>
        e instanceof GraphQLError ? e.message : String((e as { message?: unknown }).message),
      );
    }
    send(res, status, headers, typeof body === 'string' ? body : JSON.stringify(body));
  };

  let payload: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('Body must be a JSON object');
    payload = parsed;
  } catch (err) {
    finish(400, {}, { errors: [{ message: `Malformed JSON body: ${(err as Error).message}` }] });
    return;
  }
  if (typeof payload.query !== 'string' || payload.query.trim() === '') {
    finish(400, {}, { errors: [{ message: 'Must provide query string.' }] });
    return;
  }
  const variables =
    typeof payload.variables === 'object' && payload.variables !== null && !Array.isArray(payload.variables)
      ? (payload.variables as Record<string, unknown>)
      : {};
  const operationName = typeof payload.operationName === 'string' ? payload.operationName : null;
  entry.query = payload.query;
  entry.variables = variables;

  let document: DocumentNode | undefined;
  let syntaxError: GraphQLError | undefined;
  try {
    document = parse(payload.query);
  } catch (err) {
    syntaxError = err instanceof GraphQLError ? err : new GraphQLError(String(err));
  }
  const op = document ? getOperationAST(document, operationName) : null;
  entry.operationName = operationName ?? op?.name?.value ?? null;
  entry.operation = entry.operationName ?? firstRootField(op);

  const fault = deps.faults.take(entry.operation);
  /** Applies the fault; true when it answered (or dropped) the request itself. */
  const applyFault = async (f: NonNullable<typeof fault>): Promise<boolean> => {
    entry.fault = f.kind;
    if (f.kind === 'drop') {
      req.socket.destroy();
      return true;
    }
    // No answer ever: the client waits until the test kills it.
    if (f.kind === 'hang') return true;
    if (f.kind === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, f.delayMs ?? 1000));
      return false;
    }
    const a = faultAnswer(f, f.kind);
    entry.status = a.status;
    entry.errors = [`fault: ${f.kind}`];
    res.writeHead(a.status, a.headers);
    res.end(a.body);
    return true;
  };
  if (fault && !fault.afterExecution && (await applyFault(fault))) return;

  const rate = deps.limiter.consume(auth.token ?? `anonymous:${req.socket.remoteAddress ?? ''}`);
  if (!rate.allowed) {
    finish(429, rate.headers, { errors: [{ message: 'Too Many Requests' }] });
    return;
  }
  const answer = await run(deps, document, syntaxError, op, variables, operationName, auth);
  // The server has acted; only its answer is lost, garbled or late.
  if (fault?.afterExecution && (await applyFault(fault))) return;
  if (res.destroyed) return;
  finish(answer.status, rate.headers, answer.body);
}

async function run(
  deps: ServerDeps,
  document: DocumentNode | undefined,
  syntaxError: GraphQLError | undefined,
  op: OperationDefinitionNode | null | undefined,
  variables: Record<string, unknown>,
  operationName: string | null,
  auth: RequestAuth,
): Promise<Answer> {
  const { principal } = auth;
  if (!document) return { status: deps.invalidDocumentStatus, body: { errors: [syntaxError], data: null } };
  const invalid = validate(deps.schema, document);
  if (invalid.length > 0)
    return { status: deps.invalidDocumentStatus, body: { errors: [...invalid], data: null } };
  // A token Railway refuses outright (unknown project token, 2FA not enabled): nothing runs.
  if (auth.refusal) return { status: 200, body: { errors: [auth.refusal], data: null } };

  if (op) {
    const root = ROOTS[op.operation] ?? {};
    const missing = op.selectionSet.selections.filter(
      (s) => s.kind === Kind.FIELD && !s.name.value.startsWith('__') && !(s.name.value in root),
    );
    if (missing.length > 0) {
      const errors = missing.map((s) => {
        const name = s.kind === Kind.FIELD ? s.name.value : '';
        return new GraphQLError(`Emulator: operation "${name}" is not implemented`, { nodes: s });
      });
      return { status: 200, body: { errors, data: null } };
    }
  }

  deps.store.settle();
  const ctx: Ctx = { store: deps.store, principal, touched: new Set() };
  const result: ExecutionResult = await execute({
    schema: deps.schema,
    document,
    rootValue: op ? ROOTS[op.operation] : queryRoot,
    contextValue: ctx,
    variableValues: variables,
    operationName,
    fieldResolver: strictFieldResolver,
  });
  if (deps.progression === 'poll') for (const d of ctx.touched) deps.store.step(d);
  const body: Answer['body'] = {};
  if (result.errors?.length) body.errors = [...result.errors];
  body.data = result.data ?? null;
  return { status: 200, body };
}
