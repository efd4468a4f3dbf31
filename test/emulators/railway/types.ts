/** The subset of Railway's `DeploymentStatus` enum the emulator's lifecycle can produce. */
export type DeploymentStatus =
  'QUEUED' | 'BUILDING' | 'DEPLOYING' | 'SUCCESS' | 'FAILED' | 'CRASHED' | 'REMOVED';

export interface DeploymentScenario {
  outcome: 'success' | 'build_fails' | 'crashes_after_deploy';
  queuedMs?: number;
  buildMs?: number;
  deployMs?: number;
  /** crashes_after_deploy only: how long the deployment stays SUCCESS before it crashes. */
  crashAfterMs?: number;
  buildLogLines?: number;
}

export type Progression = 'manual' | 'poll' | 'realtime';

export type FaultKind = 'rate_limit' | 'server_error' | 'html' | 'slow' | 'graphql_error' | 'drop';

export interface FaultSpec {
  /** GraphQL operationName, or the first root field name when the request has no operationName. */
  operation?: string;
  /** Only the nth matching request (1-based), counted from when the fault was injected. */
  nth?: number;
  /** How many consecutive matching requests fail (starting at `nth` when given); default 1. */
  times?: number;
  kind: FaultKind;
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  message?: string;
  /** server_error only: body format; default JSON for 500, plain text for 502/503. */
  format?: 'json' | 'text';
}

export type AuthKind = 'bearer' | 'project' | 'none';

export interface RailwayRequestLogEntry {
  /** As sent, or the name of the (single) operation in the document; null when anonymous. */
  operationName: string | null;
  /** The name faults match on: operationName, else the first root field. */
  operation: string | null;
  query: string;
  variables: Record<string, unknown>;
  authKind: AuthKind;
  /** Last 4 characters of the token, never more. */
  tokenHint: string | null;
  status: number;
  errors?: string[];
  fault?: FaultKind;
  /** Emulator clock (ms since epoch) when the request arrived. */
  at: number;
}

export type TokenSpec =
  | {
      token: string;
      kind: 'account' | 'workspace';
      userEmail?: string;
      /** The token's workspace enforces 2FA and its user has none: every request is refused so. */
      twoFactorRequiredBy?: string;
    }
  | { token: string; kind: 'project'; projectId: string; environmentId: string };

/**
 * Answers that no source settles, one way per value; tests run the product against each (see the
 * README's behaviour → source table).
 */
export interface RailwaySwitches {
  /** The refusal of a taken service name: the wording seen on Railway, or the CLI's other fixture. */
  duplicateName: 'already_exists' | 'unique';
  /** `serviceDelete` of an unknown id: `Not Authorized` (seen on Railway) or `Service not found`. */
  unknownServiceDelete: 'not_authorized' | 'not_found';
  /** Log queries answer `limit + 1` lines, as Railway's CLI says the API does; false: `limit`. */
  logsExtraLine: boolean;
}

export const DEFAULT_SWITCHES: Readonly<RailwaySwitches> = {
  duplicateName: 'already_exists',
  unknownServiceDelete: 'not_authorized',
  logsExtraLine: true,
};

/** Railway's published plans: requests per hour, and per second where one is published. */
export type RailwayPlan = 'free' | 'hobby' | 'pro';
