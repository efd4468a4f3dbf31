/**
 * Reads a `/sandbox …` command out of an issue comment (docs/commands.md). Pure: no I/O, so every
 * form is unit-tested. Only a line of the comment's own text counts: a line inside a fenced code
 * block, an indented code block or a quote (`> /sandbox destroy`, what a reply quoting a command
 * looks like) is text about a command, not a command.
 */

export const LOG_KINDS = ['build', 'deploy'] as const;
export type LogKind = (typeof LOG_KINDS)[number];

/** How many log lines `/sandbox logs` shows by default, and at most (a comment holds 65,536 characters). */
export const DEFAULT_COMMAND_LOG_LINES = 50;
export const MAX_COMMAND_LOG_LINES = 500;

export type SandboxCommand =
  | { name: 'help' }
  | { name: 'status' }
  | { name: 'redeploy' }
  | { name: 'destroy' }
  | { name: 'recreate' }
  | { name: 'logs'; which: LogKind; lines: number };

export type CommandName = SandboxCommand['name'];

export type ParsedComment =
  /** No `/sandbox` line outside quotes and code: an ordinary comment. */
  | { kind: 'none' }
  | { kind: 'command'; command: SandboxCommand; line: string }
  /** A `/sandbox` line that is not one of the forms: `why` says what is wrong. */
  | { kind: 'invalid'; line: string; why: string };

/** The forms, as `/sandbox help` lists them. */
export const COMMAND_FORMS: ReadonlyArray<readonly [string, string]> = [
  ['/sandbox status', "what the issue's sandbox is doing now, and its URL"],
  ['/sandbox redeploy', 'a new deployment of the sandbox, followed until it settles'],
  [
    `/sandbox logs [build|deploy] [N]`,
    `the last N (default ${DEFAULT_COMMAND_LOG_LINES}, at most ${MAX_COMMAND_LOG_LINES}) lines of the newest deployment's deploy (default) or build log, redacted`,
  ],
  [
    '/sandbox destroy',
    'deletes the sandbox (reopening or relabelling the issue, or recreate, brings one back)',
  ],
  ['/sandbox recreate', 'destroy, then provision and deploy a fresh sandbox'],
  ['/sandbox help', 'this list'],
];

const COMMAND_LINE = /^ {0,3}\/sandbox(?=\s|$)(.*)$/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function parseCommandComment(body: string): ParsedComment {
  const line = firstCommandLine(body);
  if (line === undefined) return { kind: 'none' };
  const words = (COMMAND_LINE.exec(line)?.[1] ?? '')
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  const [name, ...rest] = words.map((word) => word.toLowerCase());
  const text = line.trim();
  const invalid = (why: string): ParsedComment => ({ kind: 'invalid', line: text, why });
  switch (name) {
    case undefined:
    case 'help':
      return rest.length > 0 ? invalid(`"help" takes nothing after it.`) : command({ name: 'help' });
    case 'status':
    case 'redeploy':
    case 'destroy':
    case 'recreate':
      return rest.length > 0 ? invalid(`"${name}" takes nothing after it.`) : command({ name });
    case 'logs': {
      const logs = parseLogs(rest);
      return typeof logs === 'string' ? invalid(logs) : command(logs);
    }
    default:
      return invalid(`"${words[0] ?? ''}" is not a sandbox command.`);
  }

  function command(parsed: SandboxCommand): ParsedComment {
    return { kind: 'command', command: parsed, line: text };
  }
}

/** The logs command, or why its arguments are not `[build|deploy] [N]`. */
function parseLogs(args: string[]): SandboxCommand | string {
  let which: LogKind = 'deploy';
  let rest = args;
  if (rest[0] === 'build' || rest[0] === 'deploy') {
    which = rest[0];
    rest = rest.slice(1);
  }
  let lines = DEFAULT_COMMAND_LOG_LINES;
  if (rest.length > 0) {
    const count = rest[0] ?? '';
    if (!/^[0-9]+$/.test(count) || Number(count) < 1 || Number(count) > MAX_COMMAND_LOG_LINES) {
      return `"${count}" is not a number of lines: give one from 1 to ${MAX_COMMAND_LOG_LINES}, e.g. /sandbox logs build 100.`;
    }
    lines = Number(count);
    rest = rest.slice(1);
  }
  if (rest.length > 0) {
    return `"logs" takes [build|deploy] [N]; "${rest.join(' ')}" is more than that.`;
  }
  return { name: 'logs', which, lines };
}

/**
 * The first line that is a command: outside fenced code (``` or ~~~, closed by a fence of the same
 * character at least as long), not indented four spaces or more (indented code), not quoted.
 */
function firstCommandLine(body: string): string | undefined {
  let fence: string | undefined;
  for (const line of body.replace(/\r\n?/g, '\n').split('\n')) {
    const opened = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (opened !== undefined && opened[0] === fence[0] && opened.length >= fence.length) fence = undefined;
      continue;
    }
    if (opened !== undefined) {
      fence = opened;
      continue;
    }
    if (COMMAND_LINE.test(line)) return line;
  }
  return undefined;
}
