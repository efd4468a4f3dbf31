import { parseArgs } from 'node:util';
import { explainLocalFailure } from '@trinity/core';
import type { CommandSpec, Invocation, OptionSpec } from './command.js';
import { agentLink } from './commands/agent-link.js';
import { agentLog } from './commands/agent-log.js';
import { agentStatus } from './commands/agent-status.js';
import { agentStep } from './commands/agent-step.js';
import { agentSync } from './commands/agent-sync.js';
import { agentUnlink } from './commands/agent-unlink.js';
import { doctor } from './commands/doctor.js';
import { init } from './commands/init.js';
import { mcp } from './commands/mcp.js';
import { sandboxList } from './commands/sandbox-list.js';
import { sandboxMapping } from './commands/sandbox-mapping.js';
import type { CliEnvironment } from './environment.js';
import { EXIT, UsageError, exitCodeOf, failureMessage } from './exit-codes.js';
import { HELP_OPTION, VERBOSE_OPTION, commandHelp, commandName, groupHelp, topHelp } from './help.js';
import { createIo } from './io.js';
import { closest } from './suggest.js';
import { VERSION } from './version.js';

export type { CliEnvironment } from './environment.js';
export { EXIT } from './exit-codes.js';

export const COMMANDS: readonly CommandSpec[] = [
  agentLink,
  agentUnlink,
  agentStep,
  agentStatus,
  agentSync,
  agentLog,
  sandboxMapping,
  sandboxList,
  init,
  mcp,
  doctor,
];

const GROUPS = [
  ...new Set(COMMANDS.filter((command) => command.path.length === 2).map((command) => command.path[0])),
];
/** One-word commands (`tri mcp`): they take the rest of the command line themselves. */
const SINGLES = new Map(
  COMMANDS.filter((command) => command.path.length === 1).map((command) => [command.path[0], command]),
);
const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h';

function unknownCommand(words: readonly string[]): UsageError {
  const typed = words.join(' ');
  const full = COMMANDS.map((command) => command.path.join(' '));
  // `tri agent stpe` → `tri agent step`; `tri agnet` → `tri agent`; `tri status` → `tri agent status`.
  const bySubcommand = new Map(
    COMMANDS.flatMap(({ path }) => (path.length === 2 ? [[path[1], path.join(' ')] as const] : [])),
  );
  const last = words.at(-1) ?? '';
  const subcommand = closest(last, [...bySubcommand.keys()]);
  const guess =
    closest(typed, full) ??
    (words.length === 1 ? closest(typed, [...GROUPS, ...SINGLES.keys()]) : undefined) ??
    (subcommand === undefined ? undefined : bySubcommand.get(subcommand));
  const suggestion = guess === undefined ? '' : ` Did you mean \`tri ${guess}\`?`;
  return new UsageError(`Unknown command \`tri ${typed}\`.${suggestion}`);
}

function parseCommandLine(command: CommandSpec, args: readonly string[]) {
  const specs: Record<string, OptionSpec> = {
    ...command.options,
    verbose: VERBOSE_OPTION,
    help: HELP_OPTION,
  };
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short },
    ]),
  );
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: string }).code;
    const option = /option '(-[^' ]+)/i.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) {
      const guess = closest(option.replace(/^-+/, ''), Object.keys(specs));
      throw new UsageError(
        `Unknown option ${option} for \`${commandName(command)}\`.` +
          (guess === undefined ? '' : ` Did you mean --${guess}?`) +
          ' (A value that starts with "-" goes after `--`.)',
        commandName(command),
      );
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option !== undefined) {
      const spec = specs[option.replace(/^-+/, '')];
      throw new UsageError(
        spec?.type === 'string'
          ? `Option ${option} needs a value: ${option} <${spec.valueName ?? 'value'}>.`
          : `Option ${option} takes no value.`,
        commandName(command),
      );
    }
    throw new UsageError(message, commandName(command));
  }
}

async function runCommand(
  command: CommandSpec,
  args: readonly string[],
  env: CliEnvironment,
): Promise<number> {
  const { values, positionals } = parseCommandLine(command, args);
  if (values.help === true) {
    env.stdout(commandHelp(command));
    return EXIT.ok;
  }
  const { min, max, name } = command.positionals;
  if (positionals.length < min) {
    throw new UsageError(`\`${commandName(command)}\` needs ${name}.`, commandName(command));
  }
  if (positionals.length > max) {
    const extra = positionals
      .slice(max)
      .map((value) => JSON.stringify(value))
      .join(' ');
    throw new UsageError(
      max === 0
        ? `\`${commandName(command)}\` takes no arguments; got ${extra}.`
        : `\`${commandName(command)}\` takes ${name} only; got also ${extra}. Quote a message that has spaces.`,
      commandName(command),
    );
  }
  const io = createIo(env, { json: values.json === true, verbose: values.verbose === true });
  const invocation: Invocation = { values, positionals, env, io };
  return command.run(invocation);
}

async function dispatch(argv: readonly string[], env: CliEnvironment): Promise<number> {
  const [first, second, ...rest] = argv;
  if (first === undefined) {
    env.stderr(topHelp(COMMANDS));
    return EXIT.usage;
  }
  if (isHelp(first)) {
    env.stdout(topHelp(COMMANDS));
    return EXIT.ok;
  }
  if (first === '--version' || first === '-V') {
    env.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (first === 'help') return dispatch([...argv.slice(1), '--help'], env);
  if (first.startsWith('-'))
    throw new UsageError(`Unknown option ${first}: global options are --help and --version.`);
  const single = SINGLES.get(first);
  if (single !== undefined) return runCommand(single, argv.slice(1), env);
  if (!GROUPS.includes(first))
    throw unknownCommand(second === undefined || second.startsWith('-') ? [first] : [first, second]);
  if (second === undefined || isHelp(second)) {
    const help = groupHelp(first, COMMANDS);
    if (second === undefined) {
      env.stderr(help);
      return EXIT.usage;
    }
    env.stdout(help);
    return EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.path[0] === first && candidate.path[1] === second);
  if (command === undefined) throw unknownCommand([first, second]);
  return runCommand(command, rest, env);
}

/**
 * Runs `tri` with `argv` (without node and the script) and returns the exit code. Never throws:
 * failures are printed on stderr (secrets redacted) and mapped to the documented codes.
 */
export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<number> {
  try {
    return await dispatch(argv, env);
  } catch (thrown) {
    // Broken local state (`.trinity` a file, a read-only checkout) is the user's to fix: exit 3.
    const error = explainLocalFailure(thrown);
    const io = createIo(env, { json: false, verbose: false });
    io.note(`tri: ${failureMessage(error)}`);
    return exitCodeOf(error);
  }
}
