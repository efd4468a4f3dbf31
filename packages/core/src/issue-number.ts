import { UserError } from './errors.js';

/**
 * GitHub issue numbers are positive and, in practice, far below 2^30; Trinity's farm file uses
 * values at or above 2^30 for hashed training-run names, so refusing them here keeps those rows
 * from ever being mistaken for issues.
 */
export const MAX_ISSUE_NUMBER = 2 ** 30 - 1;

/**
 * Accepts `506`, `"506"`, `"#506"` or an issue URL (`https://github.com/o/r/issues/506`) and
 * returns the number. Anything else is refused with a message that says what was given and what
 * is accepted.
 */
export function parseIssueNumber(value: unknown, what = 'issue number'): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match =
    /^#?([0-9]+)$/.exec(text) ?? /^https?:\/\/[^/\s]+\/[^/\s]+\/[^/\s]+\/issues\/([0-9]+)\/?$/.exec(text);
  const digits = match?.[1];
  const number = digits === undefined ? Number.NaN : Number(digits);
  if (!Number.isSafeInteger(number) || number < 1 || number > MAX_ISSUE_NUMBER) {
    const shown =
      typeof value === 'string' || typeof value === 'number' ? JSON.stringify(value) : typeof value;
    throw new UserError(
      `The ${what} ${shown} is not a GitHub issue number. Use a whole number from 1 to ${MAX_ISSUE_NUMBER} ` +
        '(for example 506, "#506" or https://github.com/owner/repo/issues/506).',
    );
  }
  return number;
}
