import { DEFAULT_FARM_PATH, type Logger } from '@trinity/core';
import type { CliEnvironment } from './environment.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown after the option in help: `--event <type>`. */
  valueName?: string;
  description: string;
}

/** What a command's `run` gets: its parsed command line, the environment and the output seams. */
export interface Invocation {
  values: Readonly<Record<string, string | boolean | undefined>>;
  positionals: readonly string[];
  env: CliEnvironment;
  io: Io;
}

/** Output with every secret redacted: data on stdout, messages and logs on stderr. */
export interface Io {
  /** True with `--json`: stdout carries exactly one JSON document. */
  readonly json: boolean;
  readonly logger: Logger;
  /** A line of human output on stdout (suppressed with `--json`). */
  say(line: string): void;
  /** A line on stderr (always shown). */
  note(line: string): void;
  /** The command's JSON document on stdout (only with `--json`). */
  data(value: unknown): void;
  /** A JSON document on stdout whatever the flags (for commands whose output is JSON anyway). */
  printJson(value: unknown): void;
  /** Values that must never be printed (tokens), added as they are read. */
  addSecret(value: string): void;
  readonly secrets: readonly string[];
}

export interface CommandSpec {
  /** `['agent', 'step']`, or one word for a command of its own (`['init']`, `['mcp']`, `['doctor']`). */
  path: readonly [string] | readonly [string, string];
  summary: string;
  /** Everything after `tri agent step`, e.g. `[--event <type>] [--json] <message | ->`. */
  synopsis: string;
  /** Paragraphs shown under the synopsis in `--help`. */
  description: string;
  options: Readonly<Record<string, OptionSpec>>;
  positionals: { min: number; max: number; name: string };
  examples: readonly string[];
  run(invocation: Invocation): Promise<number>;
}

export const JSON_OPTION: OptionSpec = {
  type: 'boolean',
  description: 'Print one JSON document on stdout (logs stay on stderr).',
};
export const REPO_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'owner/name',
  description: 'The repository (default: GITHUB_REPOSITORY, else the origin remote).',
};
export const FARM_PATH_OPTION: OptionSpec = {
  type: 'string',
  valueName: 'path',
  description: `The farm file, relative to the working-copy root (default ${DEFAULT_FARM_PATH}).`,
};
/** The options of a command that reads the farm file and can answer in JSON. */
export const FARM_READER_OPTIONS = { 'farm-path': FARM_PATH_OPTION, json: JSON_OPTION };
/** A command that takes no positional argument. */
export const NO_POSITIONALS = { min: 0, max: 0, name: '' };
