// Railway's messages are quoted in our errors, and graphql-js style messages can echo the value of
// a variable that failed to coerce. Before any of it reaches an error or a log line, the token and
// every value passed in an environment-variable map (users put secrets there) are redacted, with
// the one redactor the journal uses too (../secrets.ts). This module only says which values of a
// request are secrets.
import { isSecretLength } from '../secrets.js';

/** The token plus every string under a `variables` key anywhere in the GraphQL variables. */
export function secretsOf(token: string, variables: unknown): string[] {
  const secrets = new Set<string>([token]);
  const visit = (value: unknown, underVariables: boolean): void => {
    if (typeof value === 'string') {
      if (underVariables && isSecretLength(value)) secrets.add(value);
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, underVariables);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, v] of Object.entries(value)) visit(v, underVariables || key === 'variables');
    }
  };
  visit(variables, false);
  return [...secrets].filter((s) => s.length > 0);
}
