import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRuntime } from '@trinity/core/actions';
import type { LifecycleResult } from '@trinity/core';

/** What one action run left on every channel a user or an attacker can read. */
export interface ActionRun {
  /** The `setFailed` message, or undefined when the run succeeded. */
  failed: string | undefined;
  /** Everything written to stdout: log lines, workflow commands (`::error::`, `::add-mask::`). */
  stdout: string;
  stderr: string;
  /** The GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
  outputs: string;
  summary: string;
}

/**
 * Runs an action body through the real top-level handler, in this process, as the runner would:
 * inputs as INPUT_* variables, the event payload in a file, outputs and summary files. The process
 * environment, stdout and exit code are restored afterwards.
 */
export async function runActionInProcess(
  name: string,
  body: (runtime: ActionRuntime) => Promise<LifecycleResult>,
  options: {
    inputs: Record<string, string>;
    env: Record<string, string>;
    eventName: string;
    payload: unknown;
  },
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  const files = {
    event: join(dir, 'event.json'),
    outputs: join(dir, 'outputs'),
    summary: join(dir, 'summary.md'),
  };
  writeFileSync(files.event, JSON.stringify(options.payload));
  writeFileSync(files.outputs, '');
  writeFileSync(files.summary, '');
  const saved = { ...process.env };
  const savedExit = process.exitCode;
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  let stdout = '';
  let stderr = '';
  for (const key of Object.keys(process.env))
    if (key.startsWith('INPUT_')) Reflect.deleteProperty(process.env, key);
  Object.assign(process.env, {
    GITHUB_REPOSITORY: 'octo-org/sandbox-demo',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.outputs,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    RUNNER_TEMP: dir,
    TRINITY_GITHUB_TIME_BASE_MS: '1',
    ...options.env,
  });
  for (const [input, value] of Object.entries(options.inputs)) {
    process.env[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  process.exitCode = 0;
  process.stdout.write = (chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  };
  process.stderr.write = (chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  };
  try {
    await runAction(name, body);
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    process.exitCode = savedExit;
    for (const key of Object.keys(process.env)) if (!(key in saved)) Reflect.deleteProperty(process.env, key);
    Object.assign(process.env, saved);
  }
  const failure = /^::error::(.*)$/m.exec(stdout)?.[1];
  return {
    failed: failure === undefined ? undefined : decodeCommand(failure),
    stdout,
    stderr,
    outputs: readFileSync(files.outputs, 'utf8'),
    summary: readFileSync(files.summary, 'utf8'),
  };
}

/** Workflow commands escape %, CR and LF (@actions/core's toCommandValue). */
function decodeCommand(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/** A stand-in for Railway that only counts: any request to it is a Railway call. */
export async function startCallCounter(): Promise<{
  url: string;
  calls: () => number;
  close: () => Promise<void>;
}> {
  let calls = 0;
  const server: Server = createServer((_, res) => {
    calls += 1;
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"errors":[{"message":"counted"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/graphql/v2`,
    calls: () => calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
