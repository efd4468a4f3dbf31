import { getExecOutput } from '@actions/exec';

export interface GitRunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface GitRunOptions {
  env?: Record<string, string>;
  input?: string;
  /** Return a non-zero exit instead of throwing. */
  allowFailure?: boolean;
}

/** The one seam around the git binary, so the backend can be driven against any repository. */
export interface GitRunner {
  run(args: string[], options?: GitRunOptions): Promise<GitRunResult>;
}

export interface ExecGitRunnerOptions {
  /** The repository (its work tree or a bare repository). */
  cwd: string;
  /** Token for HTTPS remotes; passed per command through the environment, never stored. */
  token?: string;
  /** The server the token belongs to, e.g. https://github.com. */
  serverUrl?: string;
}

/**
 * Runs git through `@actions/exec`. The token reaches git as a per-process config entry
 * (`GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_0`/`GIT_CONFIG_VALUE_0`, git ≥ 2.31): it is in no command
 * line (so not in `ps` output or logs) and never written to `.git/config`, unlike a credential
 * persisted by a checkout.
 */
export function createExecGitRunner(options: ExecGitRunnerOptions): GitRunner {
  const authEnv: Record<string, string> =
    options.token === undefined
      ? {}
      : {
          GIT_CONFIG_COUNT: '1',
          GIT_CONFIG_KEY_0: `http.${(options.serverUrl ?? 'https://github.com').replace(/\/+$/, '')}/.extraheader`,
          GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${options.token}`).toString('base64')}`,
        };
  return {
    async run(args, runOptions = {}) {
      const result = await getExecOutput('git', args, {
        cwd: options.cwd,
        env: { ...stringEnv(process.env), GIT_TERMINAL_PROMPT: '0', ...authEnv, ...runOptions.env },
        input: runOptions.input === undefined ? undefined : Buffer.from(runOptions.input, 'utf8'),
        silent: true,
        ignoreReturnCode: true,
      });
      if (result.exitCode !== 0 && runOptions.allowFailure !== true) {
        throw new Error(`git ${args[0] ?? ''} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
      }
      return result;
    },
  };
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) result[key] = value;
  return result;
}
