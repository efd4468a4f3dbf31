import { DEFAULT_GITHUB_API_URL } from '@trinity/core';
import type { CommandSpec, OptionSpec } from './command.js';
import { VERSION } from './version.js';

export const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'Show this help.' };
export const VERBOSE_OPTION: OptionSpec = {
  type: 'boolean',
  short: 'v',
  description: 'Show debug logs (requests, retries) on stderr.',
};

export const EXIT_CODES_TEXT = [
  'Exit codes:',
  '  0  ok (also when a step was queued in the outbox instead of published)',
  '  1  unexpected failure: GitHub outage or a bug; re-run, and report it if it persists',
  '  2  usage error: unknown command or option, missing or extra argument',
  '  3  user error: nothing linked, not bound, corrupt file, bad issue number, issue not found, bad token',
  '  4  tri doctor: a check failed (each failed finding says what to change)',
].join('\n');

export const ENVIRONMENT_TEXT = [
  'Environment:',
  '  GITHUB_TOKEN, GH_TOKEN   token for the GitHub API (issues: write to journal); never printed',
  `  GITHUB_API_URL           API base (default ${DEFAULT_GITHUB_API_URL}; set it for GitHub Enterprise)`,
  '  GITHUB_REPOSITORY        owner/name when --repo is not given (else the origin remote)',
].join('\n');

function optionLine(name: string, option: OptionSpec): [string, string] {
  const flag = `${option.short === undefined ? '    ' : `-${option.short}, `}--${name}`;
  return [option.valueName === undefined ? flag : `${flag} <${option.valueName}>`, option.description];
}

function table(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

export function commandName(command: CommandSpec): string {
  return `tri ${command.path.join(' ')}`;
}

export function commandHelp(command: CommandSpec): string {
  const options = { ...command.options, verbose: VERBOSE_OPTION, help: HELP_OPTION };
  return [
    `Usage: ${commandName(command)} ${command.synopsis}`,
    '',
    `${command.summary}.`,
    '',
    command.description,
    '',
    'Options:',
    ...table(Object.entries(options).map(([name, option]) => optionLine(name, option))),
    '',
    'Examples:',
    ...command.examples.map((example) => `  ${example}`),
    '',
    EXIT_CODES_TEXT,
    '',
  ].join('\n');
}

function commandRows(commands: readonly CommandSpec[]): string[] {
  return table(
    commands.map((command) => {
      const args = command.positionals.max === 0 ? '' : ` ${command.positionals.name}`;
      return [`${command.path.join(' ')}${args}`, command.summary];
    }),
  );
}

export function groupHelp(group: string, commands: readonly CommandSpec[]): string {
  return [
    `Usage: tri ${group} <command> [options]`,
    '',
    'Commands:',
    ...commandRows(commands.filter((command) => command.path.length === 2 && command.path[0] === group)),
    '',
    `Run \`tri ${group} <command> --help\` for a command's options.`,
    '',
  ].join('\n');
}

export function topHelp(commands: readonly CommandSpec[]): string {
  return [
    `tri ${VERSION}: journal work on a GitHub issue in its thread, and look up the issue's Railway sandbox.`,
    '',
    'Usage: tri <command> [options]',
    '       tri --help | --version | <command> --help',
    '',
    'Commands:',
    ...commandRows(commands),
    '',
    'Files (in the working copy root, the git top level of the current directory):',
    '  .trinity/current_issue.json      the link (tri agent link / unlink)',
    '  .trinity/experience/*.md         one file per step, never overwritten',
    '  .trinity/outbox/*.json           steps waiting to be published (tri agent sync)',
    '  .trinity/railway_farm.json       the issue → sandbox mapping (read; step sets experience_file)',
    '',
    ENVIRONMENT_TEXT,
    '',
    EXIT_CODES_TEXT,
    '',
  ].join('\n');
}
