import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { CliEnvironment } from '../../packages/cli/src/cli.js';
import { createTriMcpServer, type TriMcpOptions } from '../../packages/cli/src/mcp/server.js';
import { TOKEN, type GitHubFixture } from '../support/github.js';

export interface TriMcpSession {
  client: Client;
  /** Calls a tool (the clock moves on 1 s first, like one CLI run) and returns its result. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** What the server wrote on stderr so far (its logs). */
  stderr(): string;
  /** What the server's commands wrote on stdout: must stay empty, stdout is the protocol's. */
  stdout(): string;
  clock: { ms: number };
  close(): Promise<void>;
}

/**
 * `tri mcp`'s server in-process, talking to the SDK's own Client over its InMemoryTransport, in a
 * working copy and (optionally) against the GitHub emulator; tokens, clock and session ids as
 * test/cli/helpers.ts gives the CLI. `onMessage` sees every JSON-RPC message (for the transcript).
 */
export async function connectTri(
  cwd: string,
  gh?: GitHubFixture,
  options: {
    env?: Record<string, string | undefined>;
    server?: TriMcpOptions;
    git?: CliEnvironment['git'];
    onMessage?: (direction: 'client' | 'server', message: JSONRPCMessage) => void;
  } = {},
): Promise<TriMcpSession> {
  const clock = { ms: Date.parse('2026-11-25T10:00:00.000Z') };
  let sessions = 0;
  let stdout = '';
  let stderr = '';
  const env: CliEnvironment = {
    cwd,
    env: {
      ...(gh === undefined ? {} : { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.emulator.url }),
      ...options.env,
    },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: () => Promise.reject(new Error('tri mcp read the process stdin')),
    now: () => new Date(clock.ms),
    randomId: () => `session-${++sessions}`,
    githubClientOptions: { timeBaseMs: 1, writeIntervalMs: 0 },
    ...(options.git === undefined ? {} : { git: options.git }),
  };
  const server = createTriMcpServer(env, options.server);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const { onMessage } = options;
  if (onMessage !== undefined) {
    for (const [side, direction] of [
      [clientSide, 'client'],
      [serverSide, 'server'],
    ] as const) {
      const send = side.send.bind(side);
      side.send = (message, extra) => {
        onMessage(direction, message);
        return send(message, extra);
      };
    }
  }
  const client = new Client({ name: 'tri-test', version: '0.0.0' });
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    clock,
    async call(name, args = {}) {
      clock.ms += 1000;
      return (await client.callTool({ name, arguments: args })) as CallToolResult;
    },
    stderr: () => stderr,
    stdout: () => stdout,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** The text of a tool result (its text blocks, joined). */
export function textOf(result: CallToolResult): string {
  return result.content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}
