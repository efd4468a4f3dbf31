import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '@trinity/core';
import { FARM_PATH_OPTION, NO_POSITIONALS, type CommandSpec } from '../command.js';
import type { CliEnvironment } from '../environment.js';
import { EXIT } from '../exit-codes.js';

/** The working copy to serve: `--cwd` (for agents that start servers elsewhere), else the current directory. */
async function servedDirectory(env: CliEnvironment, flag: string | boolean | undefined): Promise<string> {
  if (typeof flag !== 'string') return env.cwd;
  const dir = resolve(env.cwd, flag);
  const isDirectory = await stat(dir).then(
    (found) => found.isDirectory(),
    () => false,
  );
  if (!isDirectory) {
    throw new UserError(`--cwd is "${flag}", which is not a directory. Pass the working copy to serve.`);
  }
  return dir;
}

export const mcp: CommandSpec = {
  path: ['mcp'],
  summary: 'Serve the journal to coding agents over MCP (stdio)',
  synopsis: '[--cwd path] [--farm-path path]',
  description:
    'Runs a Model Context Protocol server on stdin/stdout for an agent to start: tools link, unlink,\n' +
    'step, status, sync, mapping and log, which run the `tri agent` and `tri sandbox mapping` commands\n' +
    'in the working copy of the current directory (same outbox, redaction and errors). Logs go to\n' +
    'stderr. It stops when the client closes stdin. Configuration for agents: docs/agents.md.',
  options: {
    cwd: {
      type: 'string',
      valueName: 'path',
      description: 'The working copy to serve (default: the current directory).',
    },
    'farm-path': FARM_PATH_OPTION,
  },
  positionals: NO_POSITIONALS,
  examples: ['tri mcp', 'claude mcp add tri -- npx tri mcp', 'tri mcp --cwd ~/src/app'],
  async run({ env, values }) {
    const cwd = await servedDirectory(env, values.cwd);
    // Loaded here so that the SDK is read only by `tri mcp`, not by every command's start.
    const { serveStdio } = await import('../mcp/stdio.js');
    const farmPath = values['farm-path'];
    await serveStdio(
      { ...env, cwd },
      { ...(typeof farmPath === 'string' ? { farmPath } : {}), verbose: values.verbose === true },
    );
    return EXIT.ok;
  },
};
