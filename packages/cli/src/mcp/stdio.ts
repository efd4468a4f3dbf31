import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CliEnvironment } from '../environment.js';
import { createTriMcpServer, type TriMcpOptions } from './server.js';

/**
 * Serves `tri mcp` on this process's stdin/stdout until the client closes stdin. Loaded only by
 * `tri mcp` (a dynamic import), so the other commands do not pay for the SDK at start-up.
 */
export async function serveStdio(env: CliEnvironment, options: TriMcpOptions): Promise<void> {
  // stdout carries the protocol: a library that logs with console.log would corrupt it.
  console.log = console.info = console.debug = console.error;
  const server = createTriMcpServer(env, options);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  await server.connect(new StdioServerTransport());
  // The transport does not notice the end of stdin; the client closing it is the end of the session.
  const stop = () => void server.close();
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  env.stderr(`tri mcp: serving the journal of ${env.cwd} over MCP on stdio (logs on stderr).\n`);
  await closed;
}
