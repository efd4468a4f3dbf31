/** HTTP front: routing and validation via openapi-backend, auth, faults, rate limits and the request log. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { commentHandlers } from './comments.js';
import { contentHandlers } from './contents.js';
import { repoHandlers } from './deployments.js';
import { ApiError, errorBody, type Reply } from './errors.js';
import type { ContentCreationLimiter, Faults, RateLimiter } from './faults.js';
import {
  commentTooLongBody,
  contentCreationLimitBody,
  graphQLExecutionFailureBody,
  secondaryRateLimitBody,
  serverErrorBody,
  unicornPage,
  type FaultSpec,
} from './faults.js';
import { gitHandlers } from './git-data.js';
import { answerGraphQL, operationKind } from './graphql/endpoint.js';
import { issueHandlers } from './issues.js';
import { requestId, type Handler, type State } from './repo-state.js';
import { settingsHandlers } from './repo-settings.js';
import type { Validator } from './validation.js';

export interface GitHubRequestLogEntry {
  method: string;
  /** Path and query exactly as received (Octokit's percent-encoding kept). */
  path: string;
  operationId: string | undefined;
  /** 0 when the connection was dropped by a fault. */
  status: number;
  /** Emulator clock, milliseconds since the epoch. */
  at: number;
  /** Last 4 characters of the token, never the token. */
  tokenHint: string | undefined;
  /** The injected fault that answered (or dropped) this request, if one did. */
  fault?: FaultSpec['kind'];
}

const handlers: Record<string, Handler> = {
  ...issueHandlers,
  ...commentHandlers,
  ...contentHandlers,
  ...gitHandlers,
  ...repoHandlers,
  ...settingsHandlers,
};

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface ServerDeps {
  state: State;
  validator: Validator;
  faults: Faults;
  rateLimiter: RateLimiter;
  /** GraphQL's own points budget (`x-ratelimit-resource: graphql`). */
  graphqlLimiter: RateLimiter;
  contentLimiter: ContentCreationLimiter;
  log: GitHubRequestLogEntry[];
}

/** Requests GitHub counts as content-generating for its secondary limit. */
const CONTENT_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseToken(header: string | undefined): string | undefined {
  const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header?.trim() ?? '');
  return m?.[1];
}

export async function startServer(deps: ServerDeps, port = 0): Promise<RunningServer> {
  const { state, validator, faults, rateLimiter, graphqlLimiter, contentLimiter, log } = deps;
  let baseUrl = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const received = req.url ?? '/';
    const url = new URL(received, 'http://emulator');
    const token = parseToken(req.headers.authorization);
    const entry: GitHubRequestLogEntry = {
      method,
      path: received,
      operationId: undefined,
      status: 0,
      at: state.now(),
      tokenHint: token?.slice(-4),
    };
    log.push(entry);
    const reqId = requestId();
    const known = token === undefined ? undefined : state.tokens.get(token);
    // An installation token's limits belong to its repository (GITHUB_TOKEN: the workflow's).
    const home = known?.repositories?.[0];
    const rateKey =
      home !== undefined
        ? `repo:${home.toLowerCase()}`
        : known !== undefined
          ? `token:${token ?? ''}`
          : `anon:${req.socket.remoteAddress ?? ''}`;
    const send = (reply: Reply) => {
      entry.status = reply.status;
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        'x-github-media-type': 'github.v3; format=json',
        'x-github-request-id': reqId,
        ...rateLimiter.headers(rateKey),
        // A classic personal access token's scopes ride along on every answer (README: behaviour → source).
        ...(known?.scopes === undefined ? {} : { 'x-oauth-scopes': known.scopes.join(', ') }),
        ...reply.headers,
      };
      if (reply.raw !== undefined) headers['content-type'] = reply.raw.contentType;
      res.writeHead(reply.status, headers);
      res.end(reply.raw?.text ?? (reply.body === undefined ? undefined : JSON.stringify(reply.body)));
    };
    /** A fault after the request was carried out: the client gets no answer, a late one or a wrong one. */
    const answerLate = async (f: FaultSpec, reply: Reply): Promise<void> => {
      if (f.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (f.kind === 'hang') return;
      if (f.kind === 'slow') await delay(f.delayMs ?? 1000);
      send(f.kind === 'slow' ? reply : faultReply(f, reqId));
    };

    try {
      // GitHub serves every repository route under /repositories/:id too, and links and redirects use it.
      let path = url.pathname;
      const byId = /^\/repositories\/(\d+)(\/.*)?$/.exec(path);
      const aliased = byId ? state.repoById(Number(byId[1])) : undefined;
      if (aliased) path = `/repos/${aliased.fullName}${byId?.[2] ?? ''}`;
      const query = Object.fromEntries(url.searchParams);
      const text = await readBody(req);
      const route = validator.match(method, path);
      entry.operationId = route?.operationId;

      if (token !== undefined && !state.tokens.has(token))
        return send({ status: 401, body: errorBody(401, 'Bad credentials') });
      const who =
        home !== undefined
          ? `installation ID ${state.getRepo(home)?.id ?? 1}`
          : `user ID ${token ? state.user(known?.login ?? '').id : 0}`;
      if (path === '/graphql' && method === 'POST') {
        // Faults name `graphql/query` or `graphql/mutation`.
        const kind = operationKind(text);
        entry.operationId = kind === undefined ? 'graphql' : `graphql/${kind}`;
        const taken = faults.take({ operationId: entry.operationId, method, path: received });
        const late = taken?.afterExecution === true ? taken : undefined;
        const fault = late === undefined ? taken : undefined;
        if (taken !== undefined) entry.fault = taken.kind;
        if (fault?.kind === 'drop') {
          req.socket.destroy();
          return;
        }
        if (fault?.kind === 'hang') return;
        if (fault && fault.kind !== 'slow') {
          const reply = faultReply(fault, reqId);
          return send({ ...reply, headers: { ...graphqlLimiter.headers(rateKey), ...reply.headers } });
        }
        const { reply, operation } = await answerGraphQL({
          state,
          token: known,
          rateKey,
          who,
          body: text,
          limiter: graphqlLimiter,
          contentLimiter,
          requestId: reqId,
        });
        entry.operationId = operation === undefined ? 'graphql' : `graphql/${operation}`;
        const answer = { ...reply, headers: { ...graphqlLimiter.headers(rateKey), ...reply.headers } };
        if (late !== undefined) return answerLate(late, answer);
        return send(answer);
      }
      // GET /rate_limit is free on GitHub.
      if (route?.operationId !== 'rate-limit/get' && !rateLimiter.consume(rateKey)) {
        const status = rateLimiter.answerStatus;
        return send({ status, body: errorBody(status, `API rate limit exceeded for ${who}.`) });
      }
      if (home !== undefined && CONTENT_METHODS.has(method)) {
        const wait = contentLimiter.consume(rateKey);
        if (wait !== undefined) {
          const status = contentLimiter.answerStatus;
          return send({
            status,
            body: contentCreationLimitBody(status, reqId),
            headers: { 'retry-after': String(wait) },
          });
        }
      }

      const taken = faults.take({ operationId: route?.operationId, method, path: received });
      const late = taken?.afterExecution === true ? taken : undefined;
      const fault = late === undefined ? taken : undefined;
      if (taken !== undefined) entry.fault = taken.kind;
      if (fault?.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'hang') return;
      if (fault?.kind === 'slow') await delay(fault.delayMs ?? 1000);
      else if (fault) return send(faultReply(fault, reqId));

      if (!route) return send({ status: 404, body: errorBody(404, 'Not Found') });
      if (route.operationId === 'rate-limit/get') return send({ status: 200, body: rateLimitBody(rateKey) });

      const repo = state.getRepo(`${route.params.owner ?? ''}/${route.params.repo ?? ''}`);
      const tokenInfo = token ? state.tokens.get(token) : undefined;
      if (!repo || (repo.isPrivate && !tokenInfo))
        return send({ status: 404, body: errorBody(404, 'Not Found') });
      // A repository-scoped (installation) token sees other private repositories as absent and may
      // only read public ones.
      const scope = tokenInfo?.repositories;
      if (scope !== undefined && !scope.some((name) => name.toLowerCase() === repo.fullName.toLowerCase())) {
        if (repo.isPrivate) return send({ status: 404, body: errorBody(404, 'Not Found') });
        if (WRITE_METHODS.has(method)) return send(notAccessible(route.operationId));
      }
      if (WRITE_METHODS.has(method)) {
        if (!tokenInfo) return send({ status: 401, body: errorBody(401, 'Requires authentication') });
        if (tokenInfo.permissions === 'read') return send(notAccessible(route.operationId));
        const needs = permissionNeeded(route.operationId);
        if (needs !== undefined && tokenInfo.withheld?.includes(needs))
          return send(notAccessible(route.operationId));
      }

      let body: unknown;
      if (text.trim().length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          return send({ status: 400, body: errorBody(400, 'Problems parsing JSON') });
        }
      }
      // GitHub reads an absent body as `{}`, so a missing field is reported by name.
      if (body === undefined && method !== 'DELETE' && method !== 'GET') body = {};
      validator.validate(method, path, query, body);
      const handler = handlers[route.operationId];
      if (!handler) return send({ status: 404, body: errorBody(404, 'Not Found') });
      const reply = handler({
        state,
        repo,
        params: route.params,
        query,
        body,
        login: tokenInfo?.login ?? '',
        baseUrl,
        method,
        accept: String(req.headers.accept ?? ''),
        tokenPermissions: tokenInfo?.permissions,
        token: tokenInfo,
      });
      if (late !== undefined) return answerLate(late, reply);
      send(reply);
    } catch (err) {
      if (err instanceof ApiError) return send({ status: err.status, body: err.body, headers: err.headers });
      const message = err instanceof Error ? err.message : String(err);
      send({ status: 500, body: { message: `emulator error: ${message}` } });
    }
  }

  /** The permission (as a workflow's `permissions:` names it) a write of this operation needs. */
  function permissionNeeded(operationId: string): string | undefined {
    if (operationId.startsWith('issues/') || operationId.startsWith('reactions/')) return 'issues';
    if (
      operationId.startsWith('git/') ||
      (operationId.startsWith('repos/') && operationId.includes('content'))
    )
      return 'contents';
    if (operationId.startsWith('repos/') && operationId.includes('deployment')) return 'deployments';
    return undefined;
  }

  /** GitHub names the permission a refused request needed in `x-accepted-github-permissions`. */
  function notAccessible(operationId: string): Reply {
    const needs = permissionNeeded(operationId);
    const needed =
      needs === 'issues'
        ? 'issues=write; pull_requests=write'
        : needs === undefined
          ? undefined
          : `${needs}=write`;
    return {
      status: 403,
      body: errorBody(403, 'Resource not accessible by integration'),
      ...(needed === undefined ? {} : { headers: { 'x-accepted-github-permissions': needed } }),
    };
  }

  function faultReply(f: FaultSpec, reqId: string): Reply {
    if (f.kind === 'server_error') {
      const status = f.status ?? 500;
      return { status, body: serverErrorBody(status) };
    }
    if (f.kind === 'html')
      return {
        status: f.status ?? 502,
        raw: { contentType: 'text/html; charset=utf-8', text: unicornPage() },
      };
    if (f.kind === 'graphql_error')
      return { status: f.status ?? 200, body: graphQLExecutionFailureBody(reqId) };
    if (f.kind === 'comment_too_long') return { status: 422, body: commentTooLongBody() };
    if (f.kind === 'secondary_rate_limit') {
      const status = f.status ?? 403;
      return {
        status,
        body: secondaryRateLimitBody(status, reqId),
        headers: { 'retry-after': String(f.retryAfterSeconds ?? 60) },
      };
    }
    const status = f.status ?? 403;
    const reset = Math.ceil(state.now() / 1000) + (f.retryAfterSeconds ?? 60);
    return {
      status,
      body: errorBody(status, 'API rate limit exceeded for installation ID 1.'),
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': String(rateLimiter.limit),
        'x-ratelimit-reset': String(reset),
      },
    };
  }

  function rateLimitBody(key: string) {
    const core = rateLimiter.status(key);
    const other = (limit: number) => ({ limit, used: 0, remaining: limit, reset: core.reset });
    return {
      resources: {
        core,
        search: other(30),
        graphql: graphqlLimiter.status(key),
        integration_manifest: other(5000),
      },
      rate: core,
    };
  }

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
