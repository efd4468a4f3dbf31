// `/sandbox …` commands from the thread (docs/commands.md): who may command, the claim by reaction,
// the operation and the answer. About 310 lines, on purpose: the command's whole life (decline,
// claim, run, answer) reads top to bottom in one place; parsing lives in commands/.
import type { CommandComment } from '../commands/payload.js';
import {
  COMMAND_FORMS,
  parseCommandComment,
  type ParsedComment,
  type SandboxCommand,
} from '../commands/parse.js';
import { statusViewFromRow } from '../journal/status-view.js';
import { describeFailure } from '../errors.js';
import { findBinding, findStatusCommentId } from '../farm/mapping.js';
import type { Farm } from '../farm/types.js';
import { readWriteAccess } from '../github/collaborators.js';
import type { DeploymentMirror } from '../github/deployments.js';
import { redactText } from '../journal/sanitize.js';
import { missingSandboxSource, type CommandSettings } from '../settings/actions.js';
import type { RailwayAccounts } from './accounts.js';
import { readFarm, type LifecycleContext } from './context.js';
import type { LifecycleResult } from './result.js';
import { withServiceSecrets } from './service-secrets.js';
import { deploySandbox } from './deploy.js';
import { destroySandbox } from './destroy.js';
import { provisionSandbox } from './provision.js';
import { readRunSnapshot, withSnapshot } from './snapshot.js';

export interface CommandRun {
  comment: CommandComment;
  settings: CommandSettings;
  /** For the issue's URL, which provision gives the sandbox. */
  serverUrl: string;
  mirror?: DeploymentMirror;
}

/** What the command's event comment says. */
interface Answer {
  message: string;
  details?: Record<string, string>;
  logTail?: string[];
}

type Outcome = 'ignored' | 'declined' | 'done' | 'failed' | 'handled-before';

/**
 * Runs a `/sandbox …` command from an issue comment (docs/commands.md). In order, each check
 * cheaper than the next: an edited or deleted comment, a bot's comment, a comment without a command
 * line and a pull request's comment cost no request at all; then the author's write access (one
 * read) decides, and someone without it gets one polite answer per issue and no Railway call. An
 * obeyed command is claimed with an `eyes` reaction: GitHub answers 201 to the first and 200 to a
 * repeat, so a re-run of the same comment finds it claimed and does not execute it twice. The answer
 * is an event whose key is the comment id, so a re-run never posts it twice either.
 */
/**
 * The result for a comment that is no command to obey (edited, by a bot, without a command, on a
 * pull request), decided from the payload alone: no input is read and no request is sent.
 */
export function ignoredCommand(comment: CommandComment): LifecycleResult | undefined {
  if (comment.action !== 'created')
    return result(undefined, 'ignored', `an ${comment.action} comment is not obeyed`);
  if (comment.authorType === 'Bot') return result(undefined, 'ignored', 'comments by bots are not obeyed');
  const parsed = parseCommandComment(comment.body);
  if (parsed.kind === 'none') return result(undefined, 'ignored', 'the comment holds no /sandbox command');
  if (comment.onPullRequest)
    return result(parsed, 'ignored', 'commands work on issues, not on pull requests');
  return undefined;
}

export async function runSandboxCommand(
  run: CommandRun,
  context: LifecycleContext,
  accounts: RailwayAccounts,
): Promise<LifecycleResult> {
  const { comment } = run;
  const ignored = ignoredCommand(comment);
  const parsed = parseCommandComment(comment.body);
  // A comment without a command is among the ignored ones; the second test narrows the type.
  if (ignored !== undefined || parsed.kind === 'none') return ignored ?? result(undefined, 'ignored', '');

  const target = { owner: context.owner, repo: context.repo };
  const access = await readWriteAccess(context.octokit, target, comment.author);
  const snapshot = await readRunSnapshot(context, comment.issueNumber);
  const before = withSnapshot(context, snapshot);
  if (access.kind !== 'write') {
    const why =
      access.kind === 'less'
        ? `@${comment.author} has ${access.permission} access to this repository`
        : `GitHub could not say whether @${comment.author} may write to this repository (${access.why})`;
    context.logger.info(`Not obeying "${parsed.line}": ${why}.`);
    const url = await answer(before, run, 'command-declined', {
      message:
        'Thanks for the suggestion! Sandbox commands are obeyed only from people who may write to this ' +
        'repository, so nothing was done. A maintainer can run it for you. (This note is posted once per issue.)',
    });
    return result(parsed, 'declined', why, url);
  }

  // Claimed at once: the author sees the command was seen, and a re-run sees it was taken.
  const claim = await context.octokit.rest.reactions.createForIssueComment({
    ...target,
    comment_id: comment.commentId,
    content: 'eyes',
  });
  const key = `command-${comment.commentId}`;
  if (claim.status === 200) {
    const url = await answer(before, run, key, {
      message:
        `An earlier run took this command (\`${parsed.line}\`) and stopped before answering; it is not run twice. ` +
        'Post the command again to run it again.',
    });
    return result(parsed, 'handled-before', 'an earlier run claimed this comment', url);
  }

  if (parsed.kind === 'invalid') {
    const url = await answer(before, run, key, { message: `${parsed.why}\n\n${helpText()}` });
    return result(parsed, 'failed', parsed.why, url);
  }
  const command = parsed.command;
  let said: Answer;
  let failure: unknown;
  let changed = false;
  try {
    switch (command.name) {
      case 'help':
        said = { message: helpText() };
        break;
      case 'status':
        said = await statusAnswer(before, accounts, comment.issueNumber);
        break;
      case 'logs':
        said = await logsAnswer(before, accounts, comment.issueNumber, command);
        break;
      default:
        changed = true;
        said = await change(command.name, run, before, accounts);
    }
  } catch (error) {
    failure = error;
    said = { message: `\`${parsed.line}\` failed: ${describeFailure(error)}` };
  }
  // After a change the lifecycle has published and committed: the answer reads the thread afresh.
  const url = await answer(changed ? context : before, run, key, {
    ...said,
    details: { command: parsed.line, by: `@${comment.author}`, ...said.details },
  });
  // Whatever the operation threw (a user error or a bug), rethrown as is once the answer is posted.
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- the caught value, unchanged
  if (failure !== undefined) throw failure;
  return result(parsed, 'done', said.message.split('\n')[0] ?? '', url);
}

/** redeploy, destroy, recreate: the lifecycle operations, each converging as its own action would. */
async function change(
  name: 'redeploy' | 'destroy' | 'recreate',
  run: CommandRun,
  context: LifecycleContext,
  accounts: RailwayAccounts,
): Promise<Answer> {
  const issueNumber = run.comment.issueNumber;
  const mirror = run.mirror === undefined ? {} : { mirror: run.mirror };
  const destroy = () =>
    destroySandbox(
      {
        issueNumber,
        archiveDirectory: undefined,
        serviceName: run.settings.deploy.serviceName,
        reason: `/sandbox ${name}`,
        ...mirror,
      },
      context,
      accounts,
    );
  const deploy = () =>
    deploySandbox({ ...run.settings.deploy, fresh: name === 'redeploy' }, context, accounts, {
      onIssueGone: destroy,
      ...mirror,
    });
  if (name === 'destroy') return summary('Destroyed', await destroy());
  if (name === 'redeploy') return summary('Redeployed', await deploy());
  // Before anything is destroyed: a recreate that could not create would only destroy.
  if (run.settings.provision.source === undefined) throw missingSandboxSource();
  const destroyed = await destroy();
  const provisioned = await provisionSandbox(run.settings.provision, context, accounts, run.serverUrl);
  if (provisioned.outputs.status === 'refused') {
    return summary('Destroyed; the new sandbox was refused', provisioned, destroyed);
  }
  return summary('Recreated', await deploy(), destroyed);
}

function summary(what: string, ...results: LifecycleResult[]): Answer {
  const details: Record<string, string> = {};
  for (const { report } of results.reverse()) for (const [key, value] of report.rows) details[key] ??= value;
  return { message: `${what}: see the events above.`, details };
}

async function statusAnswer(
  context: LifecycleContext,
  accounts: RailwayAccounts,
  issue: number,
): Promise<Answer> {
  const row = findBinding(await readFarm(context), issue);
  if (row === undefined) return { message: 'This issue has no sandbox.' };
  const railway = await accounts.target(row.account_id);
  const latest = (await railway.client.getServiceInstance(row.service_id, railway.environmentId))
    .latestDeployment;
  return {
    message: `The sandbox is ${row.status ?? 'live'}${row.url === undefined ? '' : ` at ${row.url}`}.`,
    details: {
      service: row.service_name ?? row.service_id,
      'newest deployment': latest === null ? 'none' : `${latest.id} (${latest.status})`,
      ...(row.deployment_id === undefined || row.deployment_id === latest?.id
        ? {}
        : { 'recorded deployment': `${row.deployment_id} (${row.deployment_status ?? 'unknown'})` }),
    },
  };
}

async function logsAnswer(
  context: LifecycleContext,
  accounts: RailwayAccounts,
  issue: number,
  command: Extract<SandboxCommand, { name: 'logs' }>,
): Promise<Answer> {
  const row = findBinding(await readFarm(context), issue);
  if (row === undefined) return { message: 'This issue has no sandbox, so there are no logs.' };
  const railway = await accounts.target(row.account_id);
  const latest = (await railway.client.getServiceInstance(row.service_id, railway.environmentId))
    .latestDeployment;
  const deploymentId = latest?.id ?? row.deployment_id;
  if (deploymentId === undefined)
    return { message: 'The sandbox has no deployment yet, so there are no logs.' };
  // The sandbox's own variable values are redacted too, as in every other journal text.
  const { secrets } = await withServiceSecrets(context, railway, row.service_id);
  const lines =
    command.which === 'build'
      ? await railway.client.buildLogs(deploymentId, command.lines)
      : await railway.client.deploymentLogs(deploymentId, command.lines);
  const tail = lines.slice(-command.lines).map((line) => redactText(line.message, { secrets }));
  return {
    message:
      tail.length === 0
        ? `Deployment ${deploymentId} has no ${command.which} log lines.`
        : `The last ${tail.length} ${command.which} log lines of deployment ${deploymentId}.`,
    details: { deployment: deploymentId, log: command.which },
    ...(tail.length === 0 ? {} : { logTail: tail }),
  };
}

function helpText(): string {
  return [
    'Sandbox commands (a comment whose line starts with the command; only people who may write to this repository):',
    '',
    ...COMMAND_FORMS.map(([form, what]) => `- \`${form}\`: ${what}`),
  ].join('\n');
}

/** Publishes the command's event and the status comment as the mapping has it now. */
async function answer(
  context: LifecycleContext,
  run: CommandRun,
  key: string,
  said: Answer,
): Promise<string> {
  const issue = run.comment.issueNumber;
  const repoName = `${context.owner}/${context.repo}`;
  const farm = await readFarm(context);
  const at = context.now().toISOString();
  const published = await context.publisher.publish({
    event: {
      type: 'step_completed',
      issue,
      key,
      at,
      repo: repoName,
      message: said.message,
      ...(context.run.url === undefined ? {} : { runUrl: context.run.url }),
      ...(said.details === undefined ? {} : { details: said.details }),
      ...(said.logTail === undefined ? {} : { logTail: said.logTail }),
    },
    status: currentView(farm, issue, repoName, at),
    statusCommentId: findStatusCommentId(farm, issue),
    secrets: context.secrets,
  });
  return published.commentUrl;
}

/** The issue's current binding, else its newest destroyed sandbox (shown destroyed), else none. */
function currentView(farm: Farm, issue: number, repo: string, at: string) {
  const bound = findBinding(farm, issue);
  if (bound !== undefined) return statusViewFromRow(issue, repo, bound, at);
  const destroyed = farm.agent_map.findLast((row) => row.issue === issue && row.status === 'destroyed');
  return destroyed === undefined
    ? statusViewFromRow(issue, repo, undefined, at)
    : { ...statusViewFromRow(issue, repo, destroyed, at), state: 'destroyed' as const };
}

function result(
  parsed: ParsedComment | undefined,
  outcome: Outcome,
  why: string,
  commentUrl?: string,
): LifecycleResult {
  const command =
    parsed === undefined || parsed.kind === 'none'
      ? ''
      : parsed.kind === 'command'
        ? parsed.command.name
        : 'invalid';
  return {
    outputs: { command, outcome, 'comment-url': commentUrl ?? '' },
    report: {
      title: `Sandbox command${command === '' ? '' : ` ${command}`}`,
      rows: [
        ['Outcome', outcome],
        ['Why', why],
        ...(commentUrl === undefined ? [] : ([['Comment', commentUrl]] as Array<[string, string]>)),
      ],
      notes: [],
    },
  };
}
