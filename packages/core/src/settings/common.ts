import { InputError } from '../errors.js';
import { segmentsInsideRepository } from '../files.js';
import { DEFAULT_RAILWAY_API_URL, RAILWAY_TOKEN_KINDS, type RailwayTokenKind } from '../railway-facts.js';
import { issueNumberIn, parseIssueNumber, parseIssueReference } from '../issue-number.js';
import { type InputSource, oneOf, optional, required } from './inputs.js';

export const DEFAULT_FARM_PATH = '.trinity/railway_farm.json';
export const COMMIT_MODES = ['api', 'git'] as const;
export type CommitMode = (typeof COMMIT_MODES)[number];

/** What the runner tells every action about where it runs (the documented GITHUB_* variables). */
export interface RunContext {
  repository: { owner: string; repo: string };
  apiUrl: string;
  serverUrl: string;
  runId: string | undefined;
  runAttempt: string | undefined;
  eventName: string | undefined;
  /** The parsed `GITHUB_EVENT_PATH` payload, `unknown` until something validates what it reads. */
  payload: unknown;
}

export interface GitHubSettings {
  token: string;
  farmPath: string;
  /** Undefined means the repository's default branch, looked up at run time. */
  farmBranch: string | undefined;
  commitMode: CommitMode;
}

export interface RailwaySettings {
  token: string;
  tokenKind: RailwayTokenKind;
  projectId: string | undefined;
  environmentId: string | undefined;
  apiUrl: string;
}

export function readGitHubSettings(source: InputSource): GitHubSettings {
  return {
    token: required(
      source,
      'github-token',
      'It defaults to ${{ github.token }}; if you overrode it, pass a token with issues: write and contents: write.',
    ),
    farmPath: readFarmPath(source),
    farmBranch: optional(source, 'farm-branch'),
    commitMode: oneOf(source, 'commit-mode', COMMIT_MODES, 'api'),
  };
}

export function readRailwaySettings(source: InputSource): RailwaySettings {
  const apiUrl = optional(source, 'railway-api-url') ?? DEFAULT_RAILWAY_API_URL;
  if (!/^https?:\/\/[^\s]+$/.test(apiUrl)) {
    throw new InputError(
      'railway-api-url',
      `Input "railway-api-url" is "${apiUrl}", which is not an http(s) URL.`,
    );
  }
  return {
    token: required(
      source,
      'railway-token',
      'Create a token in Railway (Account Settings → Tokens, or a project token), store it as a repository ' +
        'secret such as RAILWAY_TOKEN, and pass railway-token: ${{ secrets.RAILWAY_TOKEN }}.',
    ),
    tokenKind: oneOf(source, 'railway-token-kind', RAILWAY_TOKEN_KINDS, 'auto'),
    projectId: optional(source, 'railway-project-id'),
    environmentId: optional(source, 'railway-environment-id'),
    apiUrl,
  };
}

function readFarmPath(source: InputSource): string {
  const path = optional(source, 'farm-path') ?? DEFAULT_FARM_PATH;
  // The farm is written back to the repository: keep it inside the checkout.
  if (segmentsInsideRepository(path) === undefined) {
    throw new InputError(
      'farm-path',
      `Input "farm-path" is "${path}"; it must be a path inside the repository, such as ${DEFAULT_FARM_PATH}.`,
    );
  }
  return path;
}

/** The `issue-number` input wins; otherwise the issue of the triggering event. */
export function readIssueNumber(source: InputSource, context: RunContext): number {
  const given = optional(source, 'issue-number');
  if (given !== undefined) {
    const { owner, repo } = context.repository;
    return issueNumberIn(
      parseIssueReference(given, 'input "issue-number"'),
      `${owner}/${repo}`,
      {
        what: 'input "issue-number"',
        where: 'the repository this workflow runs in',
        fix: 'The actions manage issues of their own repository: pass the number (or URL) of one of its issues.',
      },
      (message) => new InputError('issue-number', message),
    );
  }
  const fromEvent = issueNumberFromPayload(context.payload);
  if (fromEvent !== undefined) return fromEvent;
  throw new InputError(
    'issue-number',
    `Input "issue-number" is required when the workflow is not triggered by an issue event (this run's event ` +
      `is "${context.eventName ?? 'unknown'}"). For workflow_dispatch, add an issue-number input to the ` +
      'workflow and pass issue-number: ${{ inputs.issue-number }}.',
  );
}

function issueNumberFromPayload(payload: unknown): number | undefined {
  if (typeof payload !== 'object' || payload === null || !('issue' in payload)) return undefined;
  const issue = payload.issue;
  if (typeof issue !== 'object' || issue === null || !('number' in issue)) return undefined;
  const number = parseIssueNumber(issue.number, 'issue number in the event payload');
  refusePullRequest(issue, number);
  return number;
}

/**
 * GitHub's issues API and `issue_comment` events carry pull requests too, told apart by a
 * `pull_request` key ("You can identify pull requests by the `pull_request` key",
 * docs/actions.md, "GitHub's answers"). A sandbox is an issue's: a pull request gets none.
 */
export function refusePullRequest(issue: object, number: number): void {
  if ('pull_request' in issue && issue.pull_request !== undefined && issue.pull_request !== null) {
    throw new InputError(
      'issue-number',
      `#${number} is a pull request, not an issue: sandboxes are given to issues only. Pass the number of an ` +
        'issue, or do not run this workflow on pull-request events (issue_comment fires for both).',
    );
  }
}
