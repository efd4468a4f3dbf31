import { InputError } from '../errors.js';

/**
 * Reads one raw input. The actions pass `@actions/core.getInput`, tests pass a record. An input
 * that is unset or blank reads as `undefined`, never `''` (checkout's input-helper rule), so
 * "not given" cannot be mistaken for a value.
 */
export type InputSource = (name: string) => string | undefined;

export function inputsFromRecord(record: Record<string, string | undefined>): InputSource {
  return (name) => record[name];
}

export function optional(source: InputSource, name: string): string | undefined {
  const raw = source(name);
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function required(source: InputSource, name: string, hint: string): string {
  const value = optional(source, name);
  if (value === undefined) {
    throw new InputError(name, `Input "${name}" is required but was not set. ${hint}`);
  }
  return value;
}

export function oneOf<T extends string>(
  source: InputSource,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = optional(source, name);
  if (value === undefined) return fallback;
  const match = allowed.find((candidate) => candidate === value.toLowerCase());
  if (match === undefined) {
    throw new InputError(
      name,
      `Input "${name}" is "${value}", which is not one of the accepted values: ${allowed.join(', ')}.`,
    );
  }
  return match;
}

export function boolean(source: InputSource, name: string, fallback: boolean): boolean {
  const value = optional(source, name);
  if (value === undefined) return fallback;
  // The YAML 1.2 core schema's spellings, as @actions/core.getBooleanInput accepts them.
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(name, `Input "${name}" is "${value}"; use true or false.`);
}

export function positiveInteger(
  source: InputSource,
  name: string,
  fallback: number | undefined,
): number | undefined {
  const value = optional(source, name);
  if (value === undefined) return fallback;
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InputError(name, `Input "${name}" is "${value}"; use a whole number of 1 or more.`);
  }
  return Number(value);
}

/** A comma- or newline-separated list, blanks dropped. */
export function list(source: InputSource, name: string, fallback: readonly string[]): string[] {
  const value = optional(source, name);
  if (value === undefined) return [...fallback];
  return value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * `KEY=VALUE` lines, the format users already know from `env` files. Values may contain `=`;
 * blank lines and `#` comments are skipped. Keys follow Railway's variable-name rule.
 */
export function keyValueLines(source: InputSource, name: string): Record<string, string> {
  const value = source(name);
  const result: Record<string, string> = {};
  const lineOf = new Map<string, number>();
  if (value === undefined) return result;
  value.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const equals = trimmed.indexOf('=');
    const key = equals === -1 ? trimmed : trimmed.slice(0, equals).trim();
    if (equals === -1 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      // The line itself is not echoed: it may hold a secret value.
      throw new InputError(
        name,
        `Input "${name}", line ${index + 1}, is not KEY=VALUE with a key of letters, digits and ` +
          'underscores that does not start with a digit. Write one variable per line, e.g. PORT=8080.',
      );
    }
    const earlier = lineOf.get(key);
    if (earlier !== undefined) {
      // Silently keeping the last one hides a typo or a stale line; the values are not echoed.
      throw new InputError(
        name,
        `Input "${name}" sets ${key} twice (lines ${earlier} and ${index + 1}); only one value can apply. ` +
          'Keep one line for it.',
      );
    }
    lineOf.set(key, index + 1);
    result[key] = trimmed.slice(equals + 1);
  });
  return result;
}
