import {
  createFileFarmStore,
  createGitHubClient,
  createPublisher,
  DEFAULT_FARM_PATH,
  DEFAULT_GITHUB_API_URL,
  type AgentContext,
  type FarmStore,
  type GitHubClient,
  type Publisher,
} from '@trinity/core';
import type { Invocation, Io } from './command.js';
import { systemGit, type CliEnvironment, type GitQuery } from './environment.js';
import { splitRepo } from './repository.js';

export function gitOf(env: CliEnvironment): GitQuery {
  return env.git ?? systemGit;
}

/** The working copy's root (where `.trinity/` lives): git's top level of cwd, else cwd itself. */
export async function workingCopyRoot(env: CliEnvironment): Promise<string> {
  const top = await gitOf(env)(['rev-parse', '--show-toplevel'], env.cwd);
  const trimmed = top?.trim();
  return trimmed === undefined || trimmed === '' ? env.cwd : trimmed;
}

/** GITHUB_TOKEN, else GH_TOKEN; blank counts as unset. The value is registered for redaction. */
export function readToken(env: CliEnvironment, io: Io): string | undefined {
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN']) {
    const value = env.env[name]?.trim();
    if (value) {
      io.addSecret(value);
      return value;
    }
  }
  return undefined;
}

export function apiUrl(env: CliEnvironment): string {
  return env.env.GITHUB_API_URL?.trim() || DEFAULT_GITHUB_API_URL;
}

/** The farm file of the working copy a command runs in (`--farm-path`, else the default). */
export async function workingCopyFarm(invocation: Invocation): Promise<FarmStore> {
  return farmStoreOf(invocation, await workingCopyRoot(invocation.env));
}

export function farmStoreOf(invocation: Invocation, root: string): FarmStore {
  const path = invocation.values['farm-path'];
  return createFileFarmStore({ root, path: typeof path === 'string' ? path : DEFAULT_FARM_PATH });
}

export function githubClient(env: CliEnvironment, io: Io, token: string): GitHubClient {
  return createGitHubClient({ token, baseUrl: apiUrl(env), logger: io.logger, ...env.githubClientOptions });
}

/**
 * A publisher for whichever repository an event names (an outbox can hold steps of several links),
 * which also remembers the last failure so a command can tell a bad token (exit 3) from an outage.
 * Core's publisher is per repository and its callers catch the error into a reason string.
 */
export interface CliPublisher extends Publisher {
  readonly lastFailure: unknown;
}

export function createCliPublisher(octokit: GitHubClient, io: Io): CliPublisher {
  const byRepo = new Map<string, Publisher>();
  let lastFailure: unknown;
  return {
    get lastFailure() {
      return lastFailure;
    },
    async publish(request) {
      let publisher = byRepo.get(request.event.repo);
      if (publisher === undefined) {
        publisher = createPublisher({ octokit, ...splitRepo(request.event.repo), logger: io.logger });
        byRepo.set(request.event.repo, publisher);
      }
      try {
        return await publisher.publish(request);
      } catch (error) {
        lastFailure = error;
        throw error;
      }
    },
  };
}

/** The AgentContext core's agent functions take, with a publisher when a token is available. */
export async function agentContext(
  invocation: Invocation,
): Promise<{ context: AgentContext; publisher: CliPublisher | undefined; root: string }> {
  const { env, io } = invocation;
  const root = await workingCopyRoot(env);
  const token = readToken(env, io);
  const publisher = token === undefined ? undefined : createCliPublisher(githubClient(env, io, token), io);
  return {
    root,
    publisher,
    context: {
      root,
      now: env.now,
      logger: io.logger,
      farm: farmStoreOf(invocation, root),
      publisher,
      secrets: io.secrets,
    },
  };
}
