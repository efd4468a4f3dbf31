/** GitHub's public GraphQL schema (npm `@octokit/graphql-schema`), loaded once per process. */
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

let loading: Promise<GraphQLSchema> | undefined;

/**
 * The introspection JSON rather than the IDL: the published IDL defines two fields of
 * `EnterpriseOwnerInfo` twice, which graphql-js refuses to build without `assumeValidSDL`.
 */
export function githubSchema(): Promise<GraphQLSchema> {
  loading ??= import('@octokit/graphql-schema').then(({ schema }) =>
    buildClientSchema(schema.json as unknown as IntrospectionQuery),
  );
  return loading;
}
