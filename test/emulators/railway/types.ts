/** The subset of Railway's `DeploymentStatus` enum the emulator's lifecycle can produce. */
export type DeploymentStatus =
  | 'INITIALIZING'
  | 'WAITING'
  | 'NEEDS_APPROVAL'
  | 'BUILDING'
  | 'DEPLOYING'
  | 'SUCCESS'
  | 'FAILED'
  | 'CRASHED'
  | 'SKIPPED'
  | 'REMOVED';

/** How a deployment's life goes; README "Deployments: behaviour → source" cites each one. */
export type DeploymentOutcome =
  | 'success'
  /** Repo sources only: FAILED at the end of BUILDING. */
  | 'build_fails'
  | 'crashes_after_deploy'
  /** DEPLOYING → FAILED: the healthcheck never answered 200 (a deploy failure with status FAILED). */
  | 'healthcheck_fails'
  /** SUCCESS, then the app exits 0: still SUCCESS, with `deploymentStopped: true` ("Completed"). */
  | 'completes'
  /** WAITING for `waitMs` (Wait for CI), then on as `success`. */
  | 'waits_for_ci'
  /** WAITING for `waitMs`, then SKIPPED: a GitHub check failed. */
  | 'ci_fails'
  /** NEEDS_APPROVAL, for good. */
  | 'needs_approval';

export interface DeploymentScenario {
  outcome: DeploymentOutcome;
  /** Time spent INITIALIZING. */
  queuedMs?: number;
  /** Repo sources only: image sources skip the build. */
  buildMs?: number;
  deployMs?: number;
  /** crashes_after_deploy / completes: how long the deployment stays SUCCESS before it crashes / exits. */
  crashAfterMs?: number;
  /** waits_for_ci / ci_fails: how long it stays WAITING. */
  waitMs?: number;
  buildLogLines?: number;
}

export type Progression = 'manual' | 'poll' | 'realtime';

export type FaultKind = 'rate_limit' | 'server_error' | 'html' | 'slow' | 'graphql_error' | 'drop' | 'hang';

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
  /**
   * Execute the request first, then fail its answer: the server acted but the client cannot know
   * (a mutation that must not be resent). `slow` then holds the answer back for `delayMs`.
   */
  afterExecution?: boolean;
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
