// The `service-name` input: a template in which `{issue}` stands for the issue number. Railway
// allows service names of at most 32 characters (docs/railway.md, "Service names"), so a template
// is refused when the longest name it can give is longer: that is the name of the highest issue
// number a repository can have, which fits in 2^30 - 1 (ten digits; the mapping keeps numbers from
// 2^30 up for other uses).
import { InputError } from '../errors.js';

export const DEFAULT_SERVICE_NAME = 'issue-{issue}';
export const MAX_SERVICE_NAME_LENGTH = 32;
/** The highest issue number: 2^30 - 1, ten digits. */
export const HIGHEST_ISSUE_NUMBER = 2 ** 30 - 1;

/** The service name of one issue. */
export function serviceNameFor(template: string, issue: number): string {
  return template.replace(/\{issue\}/g, String(issue));
}

/** Names this template gives, for counting and drift reports: `{issue}` as any number. */
export function serviceNamePattern(template: string): RegExp {
  const parts = template.split('{issue}').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[0-9]+')}$`);
}

/**
 * Refuses a template without `{issue}` (every issue would share one service name, so each would
 * adopt another's sandbox) and one whose name for some issue would be longer than Railway accepts.
 */
export function checkServiceNameTemplate(template: string): string {
  if (!template.includes('{issue}')) {
    throw new InputError(
      'service-name',
      `Input "service-name" is "${template}", which has no {issue}: every issue would get the same ` +
        `service name and adopt another issue's sandbox. Put {issue} where the number goes, e.g. ` +
        `"${DEFAULT_SERVICE_NAME}".`,
    );
  }
  const longest = serviceNameFor(template, HIGHEST_ISSUE_NUMBER);
  if (longest.length > MAX_SERVICE_NAME_LENGTH) {
    const room = MAX_SERVICE_NAME_LENGTH - 10;
    throw new InputError(
      'service-name',
      `Input "service-name" is "${template}", which gives service names of up to ${longest.length} ` +
        `characters ("${longest}" for issue ${HIGHEST_ISSUE_NUMBER}); Railway allows at most ` +
        `${MAX_SERVICE_NAME_LENGTH}. Shorten it so that the text around {issue} is at most ${room} ` +
        `characters, e.g. "${DEFAULT_SERVICE_NAME}".`,
    );
  }
  return template;
}

/**
 * The issue a service name was given for by this template, or undefined when the name is not one
 * the template gives: what lets the sweep tie an unrecorded service back to its issue.
 */
export function issueOfServiceName(template: string, name: string): number | undefined {
  const parts = template.split('{issue}').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const match = new RegExp(`^${parts.join('([0-9]+)')}$`).exec(name);
  if (match === null) return undefined;
  const numbers = new Set(match.slice(1));
  const [only] = numbers;
  // "{issue}" more than once must name one number: "a-{issue}-{issue}" is not "a-1-2".
  if (numbers.size !== 1 || only === undefined || /^0[0-9]/.test(only)) return undefined;
  const issue = Number(only);
  return Number.isSafeInteger(issue) && issue > 0 && issue <= HIGHEST_ISSUE_NUMBER ? issue : undefined;
}
