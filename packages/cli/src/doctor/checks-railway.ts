/**
 * `tri doctor`'s Railway checks: the token (present, its kind as the product detects it), the
 * project and the environment the sandboxes go to. Read-only: `projectToken`, `project` and `me`
 * queries, nothing else. The token kinds and Railway's refusals are docs/railway.md, "Tokens".
 */
import {
  RailwayAuthError,
  RailwayGraphQLError,
  type Project,
  type RailwayClient,
  type RailwayTokenKind,
} from '@trinity/core';
import { fail, ok, skipped, warn, type Finding } from './findings.js';

/** A value and where it came from (`--project`, `RAILWAY_PROJECT_ID`), for messages. */
export interface Sourced {
  value: string;
  source: string;
}

export interface RailwayInputs {
  /** RAILWAY_TOKEN, else RAILWAY_API_TOKEN (the names Railway's CLI reads). */
  token: Sourced | undefined;
  tokenKind: RailwayTokenKind;
  projectId: Sourced | undefined;
  environmentId: Sourced | undefined;
}

const NEW_TOKEN =
  'Create a token in Railway (Account Settings → Tokens for an account or workspace token, or the ' +
  "project's Settings → Tokens for a project token), store it as the repository secret RAILWAY_TOKEN, " +
  'and export the same value as RAILWAY_TOKEN for tri doctor.';
const PROJECT_ID_FIX =
  'Set the repository variable RAILWAY_PROJECT_ID (passed as railway-project-id) to the project id from ' +
  "Railway's Project Settings → General, and pass it to tri doctor with --project or RAILWAY_PROJECT_ID.";
const ENVIRONMENT_ID_FIX =
  'Set the repository variable RAILWAY_ENVIRONMENT_ID (passed as railway-environment-id) to the id of the ' +
  "environment the sandboxes go to (Railway: the environment's Settings), and pass it to tri doctor with " +
  '--environment or RAILWAY_ENVIRONMENT_ID.';
const NEEDS_PROJECT = 'Fix railway.project first; then run tri doctor again.';
const NEEDS_TOKEN_FIX = 'Fix railway.token first; then run tri doctor again.';

type Outcome<T> = { value: T } | { refused: RailwayAuthError } | { answered: RailwayGraphQLError };

/** Railway's answer to one query: a value, a refusal of the token, or another GraphQL error. Outages throw. */
async function attempt<T>(query: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await query() };
  } catch (error) {
    if (error instanceof RailwayAuthError) return { refused: error };
    if (error instanceof RailwayGraphQLError && error.reason === 'graphql') return { answered: error };
    throw error;
  }
}

const said = (error: RailwayGraphQLError) => error.messages.map((m) => `"${m}"`).join(', ');

export async function checkRailway(
  inputs: RailwayInputs,
  clientFor: (token: string) => RailwayClient,
): Promise<Finding[]> {
  if (inputs.token === undefined) {
    return [
      fail('railway.token', 'No Railway token: RAILWAY_TOKEN and RAILWAY_API_TOKEN are unset.', NEW_TOKEN),
      skipped('railway.project', 'Not checked: no Railway token.', NEEDS_TOKEN_FIX),
      skipped('railway.environment', 'Not checked: no Railway token.', NEEDS_TOKEN_FIX),
    ];
  }
  const client = clientFor(inputs.token.value);
  const resolved = await client.resolveToken();
  const how = resolved.configured === 'auto' ? 'detected' : `configured with --railway-token-kind`;
  if (resolved.scheme === 'project') return checkProjectToken(client, inputs, how);
  return checkBearerToken(client, inputs, how);
}

async function checkProjectToken(
  client: RailwayClient,
  inputs: RailwayInputs,
  how: string,
): Promise<Finding[]> {
  const info = await attempt(() => client.projectTokenInfo());
  if (!('value' in info)) {
    const error = 'refused' in info ? info.refused : info.answered;
    return [
      fail('railway.token', error.message, NEW_TOKEN),
      skipped('railway.project', 'Not checked: Railway refused the token.', NEEDS_TOKEN_FIX),
      skipped('railway.environment', 'Not checked: Railway refused the token.', NEEDS_TOKEN_FIX),
    ];
  }
  const { projectId, environmentId } = info.value;
  const token = ok(
    'railway.token',
    `${inputs.token?.source ?? 'The token'} is a project token (${how}) for project ${projectId}, environment ${environmentId}.`,
  );
  const given = inputs.projectId;
  if (given !== undefined && given.value !== projectId) {
    return [
      token,
      fail(
        'railway.project',
        `The token is a project token of project ${projectId}, but ${given.source} is ${given.value}: a project ` +
          'token reaches only its own project.',
        `Use a project token of project ${given.value} (its Settings → Tokens), or an account or workspace token, ` +
          `or set ${given.source} to ${projectId}.`,
      ),
      skipped('railway.environment', 'Not checked: the project is not reachable.', NEEDS_PROJECT),
    ];
  }
  const project = await attempt(() => client.getProject(projectId));
  const projectFinding =
    'value' in project
      ? ok('railway.project', `Project "${project.value.name}" (${projectId}) is visible to the token.`)
      : projectRefused(projectId, 'refused' in project ? project.refused : project.answered);
  const wanted = inputs.environmentId;
  if (wanted !== undefined && wanted.value !== environmentId) {
    return [
      token,
      projectFinding,
      fail(
        'railway.environment',
        `The token is a project token of environment ${environmentId}, but ${wanted.source} is ${wanted.value}: ` +
          'a project token reaches only its own environment.',
        `Use a project token created for environment ${wanted.value}, or set ${wanted.source} to ${environmentId}.`,
      ),
    ];
  }
  const name =
    'value' in project ? project.value.environments.find((e) => e.id === environmentId)?.name : undefined;
  return [
    token,
    projectFinding,
    ok(
      'railway.environment',
      `Environment ${name === undefined ? '' : `"${name}" `}(${environmentId}), the token's own.`,
    ),
  ];
}

function projectRefused(projectId: string, error: RailwayAuthError | RailwayGraphQLError): Finding {
  if (error instanceof RailwayAuthError) {
    return fail(
      'railway.project',
      `Railway refused project ${projectId} to this token ("${error.railwayMessage}").`,
      "Use a token of the workspace that owns the project (or the project's own project token), or check the id: " +
        PROJECT_ID_FIX,
    );
  }
  return fail(
    'railway.project',
    `Railway did not give project ${projectId}: it answered ${said(error)}. The id is mistyped, or the project was deleted.`,
    PROJECT_ID_FIX,
  );
}

/**
 * An account or workspace token. Only `me` tells them apart (Railway's docs: it "cannot be used with a
 * workspace or project token"), and only once the token has proved itself on the project: an
 * unknown token is refused `me` too.
 */
async function checkBearerToken(
  client: RailwayClient,
  inputs: RailwayInputs,
  how: string,
): Promise<Finding[]> {
  const source = inputs.token?.source ?? 'The token';
  const me = await attempt(() => client.whoAmI());
  const twoFactor = [me].flatMap((o) =>
    'refused' in o && o.refused.refusal === 'two_factor_required' ? [o.refused] : [],
  )[0];
  if (twoFactor !== undefined) {
    return [
      fail(
        'railway.token',
        twoFactor.message,
        'Enable two-factor authentication for the token’s user, or use another token.',
      ),
      skipped('railway.project', 'Not checked: Railway refused the token.', NEEDS_TOKEN_FIX),
      skipped('railway.environment', 'Not checked: Railway refused the token.', NEEDS_TOKEN_FIX),
    ];
  }
  const isAccount = 'value' in me;
  const projectId = inputs.projectId;
  if (projectId === undefined) {
    return [
      isAccount
        ? ok('railway.token', `${source} is an account token (${how}).`)
        : warn(
            'railway.token',
            `${source} is not a project token, and Railway refused it \`me\`: it is a workspace token (which cannot ` +
              'use `me`) or an invalid one; without a project id tri doctor cannot tell which.',
            'Pass --project <id> (or set RAILWAY_PROJECT_ID) so the token is tried on the project.',
          ),
      fail(
        'railway.project',
        'No Railway project id: an account or workspace token does not name one.',
        PROJECT_ID_FIX,
      ),
      skipped('railway.environment', 'Not checked: no project.', NEEDS_PROJECT),
    ];
  }
  const project = await attempt(() => client.getProject(projectId.value));
  if ('refused' in project && !isAccount) {
    return [
      fail(
        'railway.token',
        `Railway refused ${source} for project ${projectId.value} and for \`me\` ("${project.refused.railwayMessage}"): ` +
          'it is revoked or mistyped (a revoked project token looks the same), or a workspace token of a ' +
          'workspace that does not own the project.',
        NEW_TOKEN,
      ),
      skipped('railway.project', 'Not checked: Railway refused the token.', NEEDS_TOKEN_FIX),
      skipped('railway.environment', 'Not checked: Railway refused the token.', NEEDS_TOKEN_FIX),
    ];
  }
  const kind = isAccount
    ? `${source} is an account token (${how}).`
    : 'value' in project
      ? `${source} is a workspace token (${how}: it reads the project, and Railway refused it \`me\`, which ` +
        'workspace tokens cannot use).'
      : `${source} is an account or workspace token (${how}).`;
  const token = ok('railway.token', kind);
  if (!('value' in project)) {
    return [
      token,
      projectRefused(projectId.value, 'refused' in project ? project.refused : project.answered),
      skipped('railway.environment', 'Not checked: the project is not reachable.', NEEDS_PROJECT),
    ];
  }
  return [
    token,
    ok('railway.project', `Project "${project.value.name}" (${projectId.value}) is visible to the token.`),
    environmentFinding(project.value, inputs.environmentId),
  ];
}

function environmentFinding(project: Project, wanted: Sourced | undefined): Finding {
  const known = project.environments.map((e) => `"${e.name}" (${e.id})`).join(', ');
  if (wanted === undefined) {
    return fail(
      'railway.environment',
      `No Railway environment id: an account or workspace token does not name one. Project "${project.name}" has ${known || 'no environments'}.`,
      ENVIRONMENT_ID_FIX,
    );
  }
  const found = project.environments.find((e) => e.id === wanted.value);
  if (found === undefined) {
    return fail(
      'railway.environment',
      `${wanted.source} is ${wanted.value}, which is not an environment of project "${project.name}"; it has ${known || 'no environments'}.`,
      ENVIRONMENT_ID_FIX,
    );
  }
  return ok(
    'railway.environment',
    `Environment "${found.name}" (${found.id}) is in project "${project.name}".`,
  );
}
