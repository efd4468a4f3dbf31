// What the client accepts for the two Railway inputs that shape its requests, `railway-api-url` and
// `railway-token-kind` (docs/actions.md). The client defines them and settings/ validates the
// inputs against them, so the values are written once, below settings/, with no dependencies:
// reading the settings does not load the client.

/** Railway's public GraphQL endpoint. */
export const DEFAULT_RAILWAY_API_URL = 'https://backboard.railway.com/graphql/v2';

/**
 * The kinds of Railway token the client knows. `auto` asks Railway: a token that can answer
 * `projectToken` is a project token, any other an account or workspace one.
 */
export const RAILWAY_TOKEN_KINDS = ['auto', 'account', 'workspace', 'project'] as const;
export type RailwayTokenKind = (typeof RAILWAY_TOKEN_KINDS)[number];
