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
  return parseIssueReference(value, what).number;
}

/** An issue as given: its number, and the repository when it was given as a URL. */
export interface IssueReference {
  number: number;
  /** `owner/name` of an issue URL; undefined for a bare number. */
  repo: string | undefined;
}

/** `parseIssueNumber`, keeping the repository an issue URL names so callers can check it. */
export function parseIssueReference(value: unknown, what = 'issue number'): IssueReference {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const url = /^https?:\/\/[^/\s]+\/([^/\s]+)\/([^/\s]+)\/issues\/([0-9]+)\/?$/.exec(text);
  const digits = url?.[3] ?? /^#?([0-9]+)$/.exec(text)?.[1];
  const number = digits === undefined ? Number.NaN : Number(digits);
  if (!Number.isSafeInteger(number) || number < 1 || number > MAX_ISSUE_NUMBER) {
    const shown =
      typeof value === 'string' || typeof value === 'number' ? JSON.stringify(value) : typeof value;
    throw new UserError(
      `The ${what} ${shown} is not a GitHub issue number. Use a whole number from 1 to ${MAX_ISSUE_NUMBER} ` +
        '(for example 506, "#506" or https://github.com/owner/repo/issues/506).',
    );
  }
  return { number, repo: url === null ? undefined : `${url[1] ?? ''}/${url[2] ?? ''}` };
}

/**
 * The issue's number when it belongs to `repo`. An issue URL of another repository is refused, never
 * re-targeted: `https://github.com/octo-org/app/issues/506` must not quietly become `acme/widgets#506`.
 * `where` says whose repository `repo` is; `fix` what the person can do instead.
 */
export function issueNumberIn(
  reference: IssueReference,
  repo: string,
  words: { what: string; where: string; fix: string },
  makeError: (message: string) => Error = (message) => new UserError(message),
): number {
  if (reference.repo !== undefined && reference.repo.toLowerCase() !== repo.toLowerCase()) {
    throw makeError(
      `The ${words.what} is an issue of ${reference.repo} (#${reference.number}), but ${words.where} is ${repo}; ` +
        `an issue URL is never re-targeted to another repository. ${words.fix}`,
    );
  }
  return reference.number;
}
