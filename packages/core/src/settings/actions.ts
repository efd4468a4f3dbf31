// Each action's inputs parsed once into typed settings (docs/design.md, 'Inputs parsed once'). About
// 310 lines, on purpose: one reader per action, side by side, so their shared inputs stay alike
// (test/unit/action-defaults.test.ts checks them against every action.yml).
import { InputError } from '../errors.js';
import { AUTHOR_ASSOCIATIONS, REPOSITORY_PATTERN, TRUSTED_AUTHOR_ASSOCIATIONS } from '../github-facts.js';
import { EVENT_TYPES, type EventType } from '../events.js';
import {
  type GitHubSettings,
  type RailwaySettings,
  type RunContext,
  readGitHubSettings,
  readIssueNumber,
  readRailwaySettings,
} from './common.js';
import {
  type InputSource,
  boolean,
  keyValueLines,
  list,
  oneOf,
  optional,
  positiveInteger,
  required,
} from './inputs.js';
import { checkServiceNameTemplate, DEFAULT_SERVICE_NAME } from './service-name.js';

/** Every action's settings carry the values that must be masked before anything is logged. */
interface WithSecrets {
  secrets: string[];
}

interface ForOneIssue {
  github: GitHubSettings;
  issueNumber: number;
}

export type SandboxSource =
  { kind: 'image'; image: string } | { kind: 'repo'; repo: string; branch: string | undefined };

export interface ProvisionSettings extends WithSecrets, ForOneIssue {
  railway: RailwaySettings;
  source: SandboxSource | undefined;
  variables: Record<string, string>;
  /** The service name; `{issue}` is replaced by the issue number. At most 32 characters for any issue. */
  serviceName: string;
  allowedAssociations: string[];
  requiredLabel: string | undefined;
  maxSandboxes: number | undefined;
}

export interface DeploySettings extends WithSecrets, ForOneIssue {
  railway: RailwaySettings;
  commitSha: string | undefined;
  timeoutMinutes: number;
  logLines: number;
  wait: boolean;
  /** First interval between status polls; later ones grow (see lifecycle/wait.ts). */
  pollIntervalMs: number;
  /** The `service-name` template: finds a sandbox that a crashed run created but never recorded. */
  serviceName: string;
  /** Mirror each deployment as a GitHub deployment to the environment `issue-<n>`. */
  githubDeployments: boolean;
  /** Start a new deployment even when the latest one is live (`/sandbox redeploy`); never an input. */
  fresh?: boolean;
}

export interface DestroySettings extends WithSecrets {
  github: GitHubSettings;
  /** Undefined only for a sweep, which covers every issue in the farm. */
  issueNumber: number | undefined;
  railway: RailwaySettings;
  archiveLogs: boolean;
  sweep: boolean;
  /** Sandboxes older than this are destroyed by a sweep even if their issue is open. */
  ttlMs: number | undefined;
  /** A sweep drops our rows of sandboxes destroyed longer ago than this (and stale unbound rows). */
  retainDestroyedDays: number;
  /** The `service-name` template: our services, to repair those no mapping row names. */
  serviceName: string;
  /** Mark the issue's GitHub deployment inactive once its sandbox is gone. */
  githubDeployments: boolean;
}

/** How long a sweep keeps the mapping rows of destroyed sandboxes, by default. */
export const DEFAULT_RETAIN_DESTROYED_DAYS = 30;

export interface JournalSettings extends WithSecrets, ForOneIssue {
  message: string;
  event: EventType;
  /** The step's de-duplication key; undefined: derived from the run, event and message. */
  key: string | undefined;
}

export function readProvisionSettings(
  source: InputSource,
  context: RunContext,
  /** false: no image or repo is allowed (a `/sandbox` command that may never create anything). */
  options: { sourceRequired?: boolean } = {},
): ProvisionSettings {
  const github = readGitHubSettings(source);
  const railway = readRailwaySettings(source);
  const variables = readSandboxVariables(source);
  return {
    github,
    issueNumber: readIssueNumber(source, context),
    railway,
    source: options.sourceRequired === false ? readOptionalSandboxSource(source) : readSandboxSource(source),
    variables,
    serviceName: readServiceName(source),
    allowedAssociations: readAssociations(source),
    requiredLabel: optional(source, 'required-label'),
    maxSandboxes: positiveInteger(source, 'max-sandboxes', undefined),
    // Users put secrets in `variables`: every value is masked, not only the tokens.
    secrets: [github.token, railway.token, ...Object.values(variables)],
  };
}

export function readDeploySettings(source: InputSource, context: RunContext): DeploySettings {
  const github = readGitHubSettings(source);
  const railway = readRailwaySettings(source);
  const commitSha = optional(source, 'commit-sha');
  if (commitSha !== undefined && !/^[0-9a-f]{7,40}$/i.test(commitSha)) {
    throw new InputError(
      'commit-sha',
      `Input "commit-sha" is "${commitSha}", which is not a git commit SHA.`,
    );
  }
  return {
    github,
    issueNumber: readIssueNumber(source, context),
    railway,
    commitSha,
    timeoutMinutes: positiveInteger(source, 'timeout-minutes', 15) ?? 15,
    logLines: positiveInteger(source, 'log-lines', 50) ?? 50,
    wait: boolean(source, 'wait', true),
    pollIntervalMs: readSeconds(source, 'poll-interval-seconds', 15) * 1000,
    serviceName: readServiceName(source),
    githubDeployments: boolean(source, 'github-deployments', true),
    secrets: [github.token, railway.token],
  };
}

export function readDestroySettings(source: InputSource, context: RunContext): DestroySettings {
  const sweep = boolean(source, 'sweep', false);
  const github = readGitHubSettings(source);
  const railway = readRailwaySettings(source);
  return {
    github,
    issueNumber: sweep ? undefined : readIssueNumber(source, context),
    railway,
    archiveLogs: boolean(source, 'archive-logs', true),
    sweep,
    ttlMs: readDuration(source, 'ttl'),
    retainDestroyedDays:
      positiveInteger(source, 'retain-destroyed-days', DEFAULT_RETAIN_DESTROYED_DAYS) ??
      DEFAULT_RETAIN_DESTROYED_DAYS,
    serviceName: readServiceName(source),
    githubDeployments: boolean(source, 'github-deployments', true),
    secrets: [github.token, railway.token],
  };
}

/** `sandbox-command`: everything the commands may run (recreate provisions, redeploy deploys, …). */
export interface CommandSettings extends WithSecrets, ForOneIssue {
  provision: ProvisionSettings;
  deploy: DeploySettings;
  /** `github-deployments`, for deploy and destroy alike. */
  githubDeployments: boolean;
}

/**
 * Inputs sandbox-command does not declare, read by the provision and deploy readers it reuses: the
 * issue is the comment's, a redeploy deploys what Railway would and always waits for the outcome.
 */
const NOT_COMMAND_INPUTS: ReadonlySet<string> = new Set(['issue-number', 'commit-sha', 'wait']);

export function readCommandSettings(given: InputSource, context: RunContext): CommandSettings {
  const source: InputSource = (name) => (NOT_COMMAND_INPUTS.has(name) ? '' : given(name));
  // Only `/sandbox recreate` creates a service: it asks for image or repo itself (lifecycle/command.ts),
  // so status, logs, redeploy and destroy work in a repository that sets neither.
  const provision = readProvisionSettings(source, context, { sourceRequired: false });
  const deploy = readDeploySettings(source, context);
  return {
    github: provision.github,
    issueNumber: provision.issueNumber,
    provision,
    deploy,
    githubDeployments: deploy.githubDeployments,
    secrets: [...new Set([...provision.secrets, ...deploy.secrets])],
  };
}

export function readJournalSettings(source: InputSource, context: RunContext): JournalSettings {
  const github = readGitHubSettings(source);
  return {
    github,
    issueNumber: readIssueNumber(source, context),
    message: required(
      source,
      'message',
      'Pass the step to journal, e.g. message: "Ran the test suite: 42 passed".',
    ),
    event: oneOf(source, 'event', EVENT_TYPES, 'step_completed'),
    key: readKey(source),
    secrets: [github.token],
  };
}

function readServiceName(source: InputSource): string {
  return checkServiceNameTemplate(optional(source, 'service-name') ?? DEFAULT_SERVICE_NAME);
}

/**
 * Railway sets the RAILWAY_* variables of every deployment itself (docs/railway.md, "Variables
 * Railway provides"); one set by the user would make the sandbox lie about its own domain or ids.
 */
export const RAILWAY_VARIABLE_PREFIX = 'RAILWAY_';

function readSandboxVariables(source: InputSource): Record<string, string> {
  const variables = keyValueLines(source, 'variables');
  const railways = Object.keys(variables).filter((key) => key.startsWith(RAILWAY_VARIABLE_PREFIX));
  if (railways.length > 0) {
    throw new InputError(
      'variables',
      `Input "variables" sets ${railways.join(', ')}, which Railway provides to every deployment itself ` +
        `(${RAILWAY_VARIABLE_PREFIX}* names, e.g. RAILWAY_PUBLIC_DOMAIN); a value set here would override ` +
        "Railway's. Remove those lines, or rename the variables your app reads.",
    );
  }
  return variables;
}

function readSandboxSource(source: InputSource): SandboxSource {
  const found = readOptionalSandboxSource(source);
  if (found === undefined) throw missingSandboxSource();
  return found;
}

/** `image` or `repo` (with `branch`), checked; undefined when both are empty. */
function readOptionalSandboxSource(source: InputSource): SandboxSource | undefined {
  const image = optional(source, 'image');
  const repo = optional(source, 'repo');
  const branch = optional(source, 'branch');
  if (image !== undefined && repo !== undefined) {
    throw new InputError(
      'image',
      'Inputs "image" and "repo" were both set; a sandbox is built from one source. Keep one.',
    );
  }
  if (image !== undefined) return { kind: 'image', image };
  if (repo !== undefined) {
    if (!REPOSITORY_PATTERN.test(repo)) {
      throw new InputError(
        'repo',
        `Input "repo" is "${repo}"; use the GitHub owner/name form, e.g. octo-org/app.`,
      );
    }
    return { kind: 'repo', repo, branch };
  }
  if (branch !== undefined) {
    throw new InputError('branch', 'Input "branch" was set without "repo"; set repo: owner/name as well.');
  }
  return undefined;
}

/**
 * Neither image nor repo. Actions reads an input set to an empty expression (an unset
 * `vars.SANDBOX_IMAGE`) as not set: without this refusal a service with nothing to run would be
 * created, and billed.
 */
export function missingSandboxSource(): InputError {
  return new InputError(
    'image',
    'Inputs "image" and "repo" are both empty, so the sandbox would have nothing to run. Set image (a Docker ' +
      'image such as ghcr.io/octo-org/app:latest) or repo (owner/name). If the workflow passes ' +
      'image: ${{ vars.SANDBOX_IMAGE }}, define the repository variable SANDBOX_IMAGE ' +
      '(Settings → Secrets and variables → Actions → Variables).',
  );
}

function readAssociations(source: InputSource): string[] {
  const values = list(source, 'allowed-associations', TRUSTED_AUTHOR_ASSOCIATIONS).map((v) =>
    v.toUpperCase(),
  );
  for (const value of values) {
    if (!(AUTHOR_ASSOCIATIONS as readonly string[]).includes(value)) {
      throw new InputError(
        'allowed-associations',
        `Input "allowed-associations" contains "${value}", which is not a GitHub author association. ` +
          `Accepted: ${AUTHOR_ASSOCIATIONS.join(', ')}.`,
      );
    }
  }
  return values;
}

function readKey(source: InputSource): string | undefined {
  const key = optional(source, 'key');
  if (key !== undefined && (key.length > 100 || /[\s<>]/.test(key))) {
    throw new InputError(
      'key',
      'Input "key" must be at most 100 characters without spaces or angle brackets, e.g. tests-node-20.',
    );
  }
  return key;
}

/** A number of seconds, fractions allowed (tests and emulators poll in milliseconds). */
function readSeconds(source: InputSource, name: string, fallback: number): number {
  const value = optional(source, name);
  if (value === undefined) return fallback;
  const seconds = Number(value);
  if (!/^[0-9]*\.?[0-9]+$/.test(value) || seconds <= 0 || seconds > 3600) {
    throw new InputError(
      name,
      `Input "${name}" is "${value}"; use a number of seconds above 0 and at most 3600, e.g. 5.`,
    );
  }
  return seconds;
}

/** Durations such as `90m`, `72h` or `7d`. */
function readDuration(source: InputSource, name: string): number | undefined {
  const value = optional(source, name);
  if (value === undefined) return undefined;
  const match = /^([0-9]+)\s*(m|h|d)$/.exec(value);
  const amount = Number(match?.[1]);
  if (match === null || amount < 1) {
    throw new InputError(name, `Input "${name}" is "${value}"; use a duration such as 90m, 72h or 7d.`);
  }
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
  return amount * unit;
}
