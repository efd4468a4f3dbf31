/**
 * GitHub's GraphQL error answers: HTTP 200 with `errors[]`, each carrying GitHub's non-standard
 * `type` (`STALE_DATA`, `NOT_FOUND`, `BRANCH_PROTECTION_RULE_VIOLATION`, …) next to `message`,
 * `path` and `locations` (README: behaviour → source).
 */
import { Kind, type GraphQLError } from 'graphql';

/** Thrown by resolvers; the endpoint copies `type` onto the error it answers. */
export class GitHubGraphQLError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface GitHubErrorJson {
  type?: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  message: string;
}

/** An execution error as GitHub lists it: `type`, `path`, `locations`, `message`. */
export function executionErrorJson(error: GraphQLError): GitHubErrorJson {
  const original = error.originalError;
  const type = original instanceof GitHubGraphQLError ? original.type : undefined;
  return {
    ...(type === undefined ? {} : { type }),
    ...(error.path === undefined ? {} : { path: error.path }),
    ...(error.locations === undefined ? {} : { locations: error.locations }),
    message: error.message,
  };
}

/**
 * A validation error in GitHub's (graphql-ruby's) words where the product or its tests may meet it;
 * other failures keep graphql-js's wording (README: known gaps).
 */
export function validationErrorJson(error: GraphQLError): GitHubErrorJson {
  const locations = error.locations === undefined ? {} : { locations: error.locations };
  const undefinedField = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(error.message);
  if (undefinedField !== null) {
    const [, fieldName = '', typeName = ''] = undefinedField;
    return {
      extensions: { code: 'undefinedField', typeName, fieldName },
      ...locations,
      message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
    };
  }
  return { ...locations, message: error.message };
}

/**
 * A variable that does not fit its type, in GitHub's words: `Variable $input of type
 * CreateCommitOnBranchInput! was provided invalid value for expectedHeadOid (Expected value to not be null)`.
 */
export function variableErrorJson(error: GraphQLError): GitHubErrorJson {
  const nullField =
    /^Variable "\$(\w+)" got invalid value .* at "\w+\.([\w.]+)"; Expected non-nullable type "[^"]+" not to be null\.$/.exec(
      error.message,
    );
  if (nullField !== null) {
    const [, variable = '', field = ''] = nullField;
    return {
      ...(error.locations === undefined ? {} : { locations: error.locations }),
      message: `Variable $${variable} of type ${typeOfVariable(error) ?? '?'} was provided invalid value for ${field} (Expected value to not be null)`,
    };
  }
  return validationErrorJson(error);
}

function typeOfVariable(error: GraphQLError): string | undefined {
  const node = error.nodes?.[0];
  if (node?.kind !== Kind.VARIABLE_DEFINITION) return undefined;
  const print = (t: typeof node.type): string =>
    t.kind === Kind.NON_NULL_TYPE
      ? `${print(t.type)}!`
      : t.kind === Kind.LIST_TYPE
        ? `[${print(t.type)}]`
        : t.name.value;
  return print(node.type);
}
