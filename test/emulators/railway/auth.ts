import { createHash, randomUUID } from 'node:crypto';
import { RailwayError } from './state.js';
import type { AuthKind, TokenSpec } from './types.js';

export interface AccountPrincipal {
  kind: 'account' | 'workspace';
  user: { id: string; email: string; name: string; createdAt: number };
  twoFactorRequiredBy?: string;
}
export interface ProjectPrincipal {
  kind: 'project';
  tokenId: string;
  name: string;
  token: string;
  projectId: string;
  environmentId: string;
  createdAt: number;
}
export type Principal = AccountPrincipal | ProjectPrincipal;

export interface RequestAuth {
  kind: AuthKind;
  token: string | null;
  principal: Principal | null;
  /** Railway refuses the whole request before running it (README, behaviour → source). */
  refusal?: { message: string; extensions: Record<string, unknown> };
}

const PROJECT_TOKEN_NOT_FOUND = {
  message: 'Project Token not found',
  extensions: { code: 'INTERNAL_SERVER_ERROR' },
};

export class TokenRegistry {
  private readonly tokens = new Map<string, Principal>();

  constructor(private readonly clock: () => number) {}

  add(t: TokenSpec): void {
    const createdAt = this.clock();
    if (t.kind === 'project') {
      this.tokens.set(t.token, {
        kind: 'project',
        tokenId: randomUUID(),
        name: 'emulator project token',
        token: t.token,
        projectId: t.projectId,
        environmentId: t.environmentId,
        createdAt,
      });
      return;
    }
    const email = t.userEmail ?? 'dev@example.com';
    // A stable id per email, so two tokens of one user answer `me` with the same id.
    const id = createHash('sha256').update(email).digest('hex').slice(0, 32);
    const name = email.split('@')[0] ?? email;
    this.tokens.set(t.token, {
      kind: t.kind,
      user: { id, email, name, createdAt },
      ...(t.twoFactorRequiredBy === undefined ? {} : { twoFactorRequiredBy: t.twoFactorRequiredBy }),
    });
  }

  /** A revoked token is unknown from now on, as on Railway. */
  revoke(token: string): void {
    this.tokens.delete(token);
  }

  /**
   * Railway reads account/workspace tokens only from `Authorization: Bearer` and project tokens
   * only from `Project-Access-Token`; a token in the wrong header is as good as no token.
   */
  resolve(headers: Record<string, string | string[] | undefined>): RequestAuth {
    const projectHeader = header(headers, 'project-access-token');
    if (projectHeader !== undefined) {
      const p = this.tokens.get(projectHeader);
      // An unknown or revoked project token: Railway's CLI special-cases this wording.
      if (p?.kind !== 'project') {
        return { kind: 'project', token: projectHeader, principal: null, refusal: PROJECT_TOKEN_NOT_FOUND };
      }
      return { kind: 'project', token: projectHeader, principal: p };
    }
    const authorization = header(headers, 'authorization');
    if (authorization !== undefined) {
      const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
      const token = m?.[1] ?? authorization;
      const p = m ? this.tokens.get(token) : undefined;
      // A project token sent as a bearer token was seen answered so, unlike an unknown one.
      if (p?.kind === 'project') {
        return { kind: 'bearer', token, principal: null, refusal: PROJECT_TOKEN_NOT_FOUND };
      }
      if (p?.twoFactorRequiredBy !== undefined) {
        return {
          kind: 'bearer',
          token,
          principal: null,
          refusal: {
            message: 'Two Factor Authentication Required',
            extensions: { code: 'FORBIDDEN', workspaceName: p.twoFactorRequiredBy },
          },
        };
      }
      return { kind: 'bearer', token, principal: p ?? null };
    }
    return { kind: 'none', token: null, principal: null };
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function notAuthorized(): RailwayError {
  return new RailwayError('Not Authorized');
}

export function requirePrincipal(p: Principal | null): Principal {
  if (!p) throw notAuthorized();
  return p;
}

export function requireAccount(p: Principal | null): AccountPrincipal {
  if (!p || p.kind === 'project') throw notAuthorized();
  return p;
}

/** `me` is scoped to a person: Railway's docs say workspace and project tokens cannot use it. */
export function requirePersonalAccount(p: Principal | null): AccountPrincipal {
  if (p?.kind !== 'account') throw notAuthorized();
  return p;
}

export function requireProjectToken(p: Principal | null): ProjectPrincipal {
  if (!p || p.kind !== 'project') throw notAuthorized();
  return p;
}

/** Account and workspace tokens see every project; a project token only its own. */
export function assertProject(p: Principal | null, projectId: string): void {
  const principal = requirePrincipal(p);
  if (principal.kind === 'project' && principal.projectId !== projectId) throw notAuthorized();
}

/** A project token is also bound to one environment of its project. */
export function assertEnvironment(
  p: Principal | null,
  projectId: string,
  environmentId: string | null,
): void {
  assertProject(p, projectId);
  if (p?.kind === 'project' && environmentId !== null && p.environmentId !== environmentId) {
    throw notAuthorized();
  }
}
