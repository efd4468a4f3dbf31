import { linkIssue, parseIssueReference, statusOf } from '@trinity/core';
import { FARM_PATH_OPTION, JSON_OPTION, REPO_OPTION, type CommandSpec, type Invocation } from '../command.js';
import { farmStoreOf, githubClient, gitOf, readToken, workingCopyRoot } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { asUserError, isOutage } from '../github-errors.js';
import { issueIn, resolveRepo, splitRepo } from '../repository.js';

type IssueCheck = 'found' | 'skipped (no token)' | 'skipped (GitHub unreachable)';

async function checkIssueExists(invocation: Invocation, repo: string, issue: number): Promise<IssueCheck> {
  const { env, io } = invocation;
  const token = readToken(env, io);
  if (token === undefined) {
    io.note('No GITHUB_TOKEN or GH_TOKEN: the issue was not checked on GitHub.');
    return 'skipped (no token)';
  }
  try {
    await githubClient(env, io, token).rest.issues.get({ ...splitRepo(repo), issue_number: issue });
    return 'found';
  } catch (error) {
    if (isOutage(error)) {
      const detail = error instanceof Error ? error.message : String(error);
      io.logger.warning(
        `Could not reach GitHub to check ${repo}#${issue} (${statusOf(error) ?? 'no answer'}: ${detail}); linking anyway.`,
      );
      return 'skipped (GitHub unreachable)';
    }
    throw asUserError(error, `${repo}#${issue}`);
  }
}

export const agentLink: CommandSpec = {
  path: ['agent', 'link'],
  summary: 'Link this working copy to an issue',
  synopsis: '[--repo owner/name] [--json] <issue>',
  description:
    'Writes .trinity/current_issue.json so that `tri agent step` knows where steps go. The issue is a\n' +
    'number (506), #506 or an issue URL of this repository (a URL of another repository is refused).\n' +
    'With a token it first checks that the issue exists.\n' +
    'Linking the issue that is already linked changes nothing (same session, same step count).',
  options: { repo: REPO_OPTION, 'farm-path': FARM_PATH_OPTION, json: JSON_OPTION },
  positionals: { min: 1, max: 1, name: '<issue>' },
  examples: ['tri agent link 506', 'tri agent link https://github.com/octo-org/app/issues/506'],
  async run(invocation) {
    const { env, io, values, positionals } = invocation;
    const reference = parseIssueReference(positionals[0]);
    const root = await workingCopyRoot(env);
    const repo = await resolveRepo({
      flag: typeof values.repo === 'string' ? values.repo : undefined,
      env: env.env,
      git: gitOf(env),
      root,
    });
    const issue = issueIn(reference, repo);
    const check = await checkIssueExists(invocation, repo, issue);
    const farm = farmStoreOf(invocation, root);
    const outcome = await linkIssue(
      { root, now: env.now, farm },
      { issue, repo, ...(env.randomId === undefined ? {} : { generateId: env.randomId }) },
    );
    const { current, replaced } = outcome;
    const { sessionRecorded } = outcome;
    if (outcome.unchanged) {
      io.say(
        `Already linked to ${repo}#${issue} (session ${current.session_id}, ${current.steps} steps); nothing changed.`,
      );
    } else {
      io.say(`Linked this working copy to ${repo}#${issue} (session ${current.session_id}).`);
      if (replaced !== undefined) {
        io.say(`Replaced the link to ${replaced.repo}#${replaced.issue_number} (${replaced.steps} steps).`);
      }
      io.say('Wrote .trinity/current_issue.json. Journal a step with `tri agent step "<message>"`.');
    }
    if (sessionRecorded) io.say(`Recorded the session as the sandbox's session_id in ${farm.path}.`);
    io.data({
      linked: current,
      replaced: replaced ?? null,
      unchanged: outcome.unchanged,
      issue_check: check,
      session_recorded: sessionRecorded,
    });
    return EXIT.ok;
  },
};
