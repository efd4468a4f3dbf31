import { createConsoleLogger, redactKnownSecrets, type Logger } from '@trinity/core';
import type { Io } from '../command.js';
import type { CliEnvironment } from '../environment.js';
import { environmentSecrets } from '../io.js';

/**
 * The output of one tool call: what the command would have printed, kept for the tool's result
 * instead of written to stdout (stdout is the MCP channel). Every line and value is redacted like
 * the CLI's output, with the same secrets (the token values, plus any a command registers).
 */
export interface ToolIo extends Io {
  /** The command's human lines (stdout's and stderr's, in order), warnings included. */
  readonly lines: readonly string[];
  /** The command's JSON document (`--json`'s), when it printed one. */
  readonly document: unknown;
  /** A text with every known secret masked. */
  clean(text: string): string;
}

function redactDeep(value: unknown, clean: (text: string) => string): unknown {
  if (typeof value === 'string') return clean(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, clean));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, clean)]));
  }
  return value;
}

export function createToolIo(env: CliEnvironment, options: { verbose: boolean }): ToolIo {
  const secrets = environmentSecrets(env);
  const clean = (text: string) => redactKnownSecrets(text, secrets);
  const lines: string[] = [];
  let document: unknown;
  // Kept raw and redacted when read: a secret a command registers late still leaves the result masked.
  const keep = (line: string) => lines.push(line);
  const toStderr = (line: string) => env.stderr(`${clean(line)}\n`);
  const console = createConsoleLogger({ verbose: options.verbose, write: toStderr });
  // Logs go to the server's stderr; warnings and errors also reach the agent, who can act on them
  // (e.g. "Could not reach GitHub to check octo-org/app#506; linking anyway").
  const logger: Logger = {
    ...console,
    warning: (message) => {
      console.warning(message);
      keep(`warning: ${message}`);
    },
    error: (message) => {
      console.error(message);
      keep(`error: ${message}`);
    },
  };
  return {
    json: true,
    logger,
    say: keep,
    note: keep,
    data: (value) => {
      document = value;
    },
    printJson: (value) => {
      document = value;
    },
    addSecret: (value) => {
      if (value !== '' && !secrets.includes(value)) secrets.push(value);
    },
    secrets,
    get lines() {
      return lines.map(clean);
    },
    get document() {
      return redactDeep(document, clean);
    },
    clean,
  };
}
