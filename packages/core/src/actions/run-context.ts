import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { DEFAULT_GITHUB_API_URL } from '../github-facts.js';
import type { RunContext } from '../settings/common.js';

/**
 * Reads the documented GITHUB_* variables once. The event payload stays `unknown`: each reader
 * checks the fields it uses, so a payload of an unexpected event fails with a clear message.
 */
export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new UserError(
      `GITHUB_REPOSITORY is "${repository}", not "owner/name". The Actions runner sets it; ` +
        'when running outside Actions, set it to the repository the issues belong to.',
    );
  }
  return {
    repository: { owner, repo },
    apiUrl: env.GITHUB_API_URL ?? DEFAULT_GITHUB_API_URL,
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    runId: env.GITHUB_RUN_ID,
    runAttempt: env.GITHUB_RUN_ATTEMPT,
    eventName: env.GITHUB_EVENT_NAME,
    payload: readPayload(env.GITHUB_EVENT_PATH),
  };
}

function readPayload(path: string | undefined): unknown {
  if (path === undefined || path === '') return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`Cannot read the event payload at GITHUB_EVENT_PATH (${path}): ${String(error)}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UserError(
      `The event payload at GITHUB_EVENT_PATH (${path}) is not valid JSON: ${String(error)}.`,
    );
  }
}
