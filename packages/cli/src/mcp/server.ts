import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { UserError, explainLocalFailure } from '@trinity/core';
import type { CliEnvironment } from '../environment.js';
import { EXIT, UsageError, exitCodeOf, failureMessage } from '../exit-codes.js';
import { VERSION } from '../version.js';
import { createToolIo, type ToolIo } from './tool-io.js';
import { TOOLS, type TriTool } from './tools.js';

export interface TriMcpOptions {
  /** `--farm-path` for every tool that reads the farm file. */
  farmPath?: string;
  /** Debug logs (requests, retries) on stderr. */
  verbose?: boolean;
}

const INSTRUCTIONS =
  'tri journals your work on a GitHub issue: `link` the issue once, then call `step` after each ' +
  'meaningful piece of work (what you did, what you found, what failed). A step is recorded even when ' +
  'GitHub is unreachable (it is queued; call `sync` later), so never repeat a step. `status` shows the ' +
  "link, the queue and the issue's sandbox; `mapping` an issue's sandbox; `log` the journal so far. " +
  'Messages name the CLI commands: `tri agent link` is the `link` tool, `tri agent sync` the `sync` tool, ' +
  'and so on.';

/** Bad arguments, something the user can fix, or an outage/bug: the CLI's exit codes 2, 3 and 1. */
function kindOf(error: unknown): 'usage' | 'user' | 'failure' {
  if (error instanceof UsageError) return 'usage';
  return error instanceof UserError ? 'user' : 'failure';
}

/** The CLI's failure text, without its "Run `tri … --help`" hint: a tool's schema is its help. */
function messageOf(error: unknown): string {
  return error instanceof UsageError ? error.message : failureMessage(error);
}

function resultOf(io: ToolIo, code: number): CallToolResult {
  const text = io.lines.join('\n');
  const document = io.document;
  const content: CallToolResult['content'] = [];
  if (text !== '') content.push({ type: 'text', text });
  // The spec asks a tool that returns structured content to return it as text as well.
  if (document !== undefined) content.push({ type: 'text', text: JSON.stringify(document, null, 2) });
  const structured =
    typeof document === 'object' && document !== null && !Array.isArray(document)
      ? { structuredContent: document as Record<string, unknown> }
      : {};
  return { content, ...structured, ...(code === EXIT.ok ? {} : { isError: true }) };
}

function failureOf(io: ToolIo, error: unknown): CallToolResult {
  const code = exitCodeOf(error);
  const message = io.clean(messageOf(error));
  // What the command said before failing (a warning, say) follows the reason.
  const text = [message, ...io.lines].join('\n');
  return {
    content: [{ type: 'text', text }],
    structuredContent: { error: { kind: kindOf(error), exit_code: code, message } },
    isError: true,
  };
}

async function callTool(
  tool: TriTool,
  args: unknown,
  env: CliEnvironment,
  options: TriMcpOptions,
): Promise<CallToolResult> {
  const io = createToolIo(env, { verbose: options.verbose === true });
  try {
    const { values, positionals } = tool.commandLine(args);
    const farm =
      options.farmPath !== undefined && 'farm-path' in tool.command.options
        ? { 'farm-path': options.farmPath }
        : {};
    const code = await tool.command.run({ values: { ...values, ...farm }, positionals, env, io });
    return resultOf(io, code);
  } catch (thrown) {
    const error = explainLocalFailure(thrown);
    const result = failureOf(io, error);
    env.stderr(`tri mcp: ${tool.name} failed: ${io.clean(messageOf(error))}\n`);
    return result;
  }
}

/**
 * The `tri mcp` server: one tool per journal command (tools.ts), run against `env` exactly as the CLI
 * runs them, except that nothing reaches stdout (the protocol's channel) and stdin is not read.
 */
export function createTriMcpServer(env: CliEnvironment, options: TriMcpOptions = {}): McpServer {
  const toolEnv: CliEnvironment = {
    ...env,
    stdout: env.stderr,
    readStdin: () =>
      Promise.reject(
        new UserError(
          'The message `-` means "read standard input" on the command line; over MCP, pass the text itself as `message`.',
        ),
      ),
  };
  const server = new McpServer({ name: 'tri', version: VERSION }, { instructions: INSTRUCTIONS });
  // One call at a time, like commands typed in one shell: two steps at once would race for the step
  // count in .trinity/current_issue.json.
  let queue: Promise<unknown> = Promise.resolve();
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.inputSchema },
      (args: unknown) => {
        const call = queue.then(() => callTool(tool, args, toolEnv, options));
        queue = call.catch(() => undefined);
        return call;
      },
    );
  }
  return server;
}
