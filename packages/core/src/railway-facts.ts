// What the Railway client accepts for the two inputs that shape its requests, `railway-api-url` and
// `railway-token-kind` (docs/actions.md). railway/ uses them and settings/ validates the inputs
// against them, so they are written once, in a shared module with no dependencies below both
// (as github-facts.ts is for GitHub): reading the settings does not load the client.

/** Railway's public GraphQL endpoint. */
export const DEFAULT_RAILWAY_API_URL = 'https://backboard.railway.com/graphql/v2';

/**
 * The kinds of Railway token the client knows. `auto` asks Railway: a token that can answer
 * `projectToken` is a project token, any other an account or workspace one.
 */
export const RAILWAY_TOKEN_KINDS = ['auto', 'account', 'workspace', 'project'] as const;
export type RailwayTokenKind = (typeof RAILWAY_TOKEN_KINDS)[number];
