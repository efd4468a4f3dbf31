import { FARM_PATH_OPTION, NO_POSITIONALS, type CommandSpec } from '../command.js';
import { EXIT } from '../exit-codes.js';

export const mcp: CommandSpec = {
  path: ['mcp'],
  summary: 'Serve the journal to coding agents over MCP (stdio)',
  synopsis: '[--farm-path path]',
  description:
    'Runs a Model Context Protocol server on stdin/stdout for an agent to start: tools link, unlink,\n' +
    'step, status, sync, mapping and log, which run the `tri agent` and `tri sandbox mapping` commands\n' +
    'in the working copy of the current directory (same outbox, redaction and errors). Logs go to\n' +
    'stderr. It stops when the client closes stdin. Configuration for agents: docs/agents.md.',
  options: { 'farm-path': FARM_PATH_OPTION },
  positionals: NO_POSITIONALS,
  examples: ['tri mcp', 'claude mcp add tri -- npx tri mcp'],
  async run({ env, values }) {
    // Loaded here so that the SDK is read only by `tri mcp`, not by every command's start.
    const { serveStdio } = await import('../mcp/stdio.js');
    const farmPath = values['farm-path'];
    await serveStdio(env, {
      ...(typeof farmPath === 'string' ? { farmPath } : {}),
      verbose: values.verbose === true,
    });
    return EXIT.ok;
  },
};
