/**
 * The story the demo plays: an issue is opened, its sandbox is provisioned and deployed, the work
 * is journalled (by the actions and by `tri` from a developer's working copy), the issue is closed
 * and the sandbox destroyed. Each step is narrated as it happens; what it leaves behind is returned
 * for rendering (render.ts) and checking (checks.ts).
 */
import { join } from 'node:path';
import type { World } from '../../test/support/e2e-world.js';
import {
  issueCommentPayload,
  issuesPayload,
  type IssueCommentPayload,
  type IssuesPayload,
} from '../../test/support/webhook-payloads.js';
import { DEVELOPER_TOKEN, JOURNAL_MESSAGES, PASTED_SECRET, REDEPLOY_COMMAND, TRI_MESSAGE } from './cast.js';
import type { Output } from './output.js';
import { seconds, table } from './style.js';
import { createWorkingCopy, runTri } from './tri.js';

export const FARM_PATH = '.trinity/railway_farm.json';

interface Outcome {
  exitCode: number | null;
  outputs?: Record<string, string>;
  log: string[];
  /** Why the step did not do what it should, although it may have exited 0. */
  failure?: string | undefined;
}

export interface StepRecord {
  title: string;
  ms: number;
  github: number;
  railway: number;
  labels: string[];
}

export interface Story {
  /** Who opened the issue, and later journals with tri and closes it. */
  author: string;
  steps: StepRecord[];
  /** Experience files journal-step committed, in order. */
  experienceFiles: string[];
  /** The developer's working copy, once the story got that far. */
  workingCopy: string | undefined;
  /** The thread's comment ids before the issue was closed, once the story got that far. */
  commentsBeforeClose: Set<number> | undefined;
  /** The step that went wrong and why; undefined when every step did what it should. */
  failure: string | undefined;
}

/** A step that went wrong: the story stops there, and the demo reports it. */
class StepFailure extends Error {}

export function issueLabels(world: World): string[] {
  return world.github.repo(world.repo).issue(world.issue)?.labels ?? [];
}

/**
 * Plays the story against `world`. `root` is the checkout whose committed bundles run; every
 * temporary directory the story makes is handed to `scratch` for the caller to remove.
 */
export async function playStory(
  world: World,
  opened: IssuesPayload,
  out: Output,
  options: { root: string; scratch: (dir: string) => void },
): Promise<Story> {
  const { style } = out;
  const repo = world.github.repo(world.repo);
  const author = issueAuthor(opened);
  world.github.addToken(DEVELOPER_TOKEN, { login: author });
  const story: Story = {
    author,
    steps: [],
    experienceFiles: [],
    workingCopy: undefined,
    commentsBeforeClose: undefined,
    failure: undefined,
  };

  async function step(title: string, what: string, act: () => Promise<Outcome>): Promise<Outcome> {
    out.say(`${style.bold(`▶ ${title}`)}  ${style.dim(what)}`);
    const github0 = world.github.requests.length;
    const railway0 = world.railway.requests.length;
    const t0 = performance.now();
    const outcome = await act();
    const record: StepRecord = {
      title,
      ms: performance.now() - t0,
      github: world.github.requests.length - github0,
      railway: world.railway.requests.length - railway0,
      labels: issueLabels(world),
    };
    story.steps.push(record);
    narrate(out, record, outcome);
    return outcome;
  }

  async function action(
    name: string,
    payload: unknown,
    options: {
      inputs?: Record<string, string>;
      eventName?: string;
      expect?: (outputs: Record<string, string>) => string | undefined;
    } = {},
  ): Promise<Outcome> {
    const run = await world.run(name, {
      payload,
      ...(options.inputs ? { inputs: options.inputs } : {}),
      ...(options.eventName ? { eventName: options.eventName } : {}),
    });
    return {
      exitCode: run.exitCode,
      outputs: run.outputs,
      log: runnerLog(run.stdout, run.stderr),
      failure: run.exitCode === 0 ? options.expect?.(run.outputs) : undefined,
    };
  }

  async function tri(args: string[]): Promise<Outcome> {
    if (story.workingCopy === undefined) throw new Error('no working copy');
    const run = await runTri(join(options.root, 'dist', 'tri', 'index.js'), args, {
      cwd: story.workingCopy,
      env: { GITHUB_TOKEN: DEVELOPER_TOKEN, GITHUB_API_URL: world.github.url, GITHUB_REPOSITORY: world.repo },
    });
    return {
      exitCode: run.exitCode,
      log: [...nonBlank(run.stdout), ...nonBlank(run.stderr).map((line) => `stderr: ${line}`)],
    };
  }

  /** Posts a comment as the author would, and the issue_comment payload GitHub then sends. */
  async function comment(body: string): Promise<IssueCommentPayload> {
    const response = await fetch(`${world.github.url}/repos/${world.repo}/issues/${world.issue}/comments`, {
      method: 'POST',
      headers: { authorization: `token ${DEVELOPER_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body }),
    });
    const { id } = (await response.json()) as { id: number };
    const payload = issueCommentPayload('created', body, { commentId: id, author });
    payload.issue.number = world.issue;
    return payload;
  }

  async function closeIssue(): Promise<Outcome> {
    const response = await fetch(`${world.github.url}/repos/${world.repo}/issues/${world.issue}`, {
      method: 'PATCH',
      headers: { authorization: `token ${DEVELOPER_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'closed' }),
    });
    const body = (await response.json()) as { state?: string; message?: string };
    return {
      exitCode: response.ok ? 0 : 1,
      log: [`HTTP ${response.status}: the issue is ${body.state ?? `not closed (${body.message ?? '?'})`}`],
    };
  }

  try {
    await step(
      'provision-sandbox',
      'on issues.opened: create the Railway service, post sandbox_created',
      () => action('provision-sandbox', opened, { expect: expectOutput('status', 'deploying') }),
    );
    await step(
      'deploy-sandbox',
      'on issues.opened: wait for the deployment, post its start and outcome',
      () => action('deploy-sandbox', opened, { expect: expectOutput('deployment-status', 'SUCCESS') }),
    );
    for (const [i, message] of JOURNAL_MESSAGES.entries()) {
      const { outputs } = await step(`journal-step #${i + 1}`, preview(message), () =>
        action('journal-step', opened, {
          inputs: { message },
          expect: (out) => (out['experience-file'] ? undefined : 'no experience-file output'),
        }),
      );
      if (outputs?.['experience-file']) story.experienceFiles.push(outputs['experience-file']);
    }
    await step(
      `${author} comments “${REDEPLOY_COMMAND}”`,
      'on issue_comment.created: redeploy from the thread, answer there (docs/commands.md)',
      async () =>
        action('sandbox-command', await comment(REDEPLOY_COMMAND), {
          eventName: 'issue_comment',
          // As the shipped workflow passes them; polls quickly, as the demo's deploy-sandbox does.
          inputs: { image: 'ghcr.io/octo-org/app:latest', 'poll-interval-seconds': '0.01' },
          expect: expectOutput('outcome', 'done'),
        }),
    );

    const farm = repo.readFile(FARM_PATH);
    story.workingCopy = createWorkingCopy(farm === undefined ? {} : { [FARM_PATH]: farm });
    options.scratch(story.workingCopy);
    out.say(style.dim(`  ${author} pulls the repository and journals from their own working copy with tri:`));
    out.say();
    await step(
      `tri agent link ${world.issue}`,
      'link the working copy to the issue (and its sandbox session)',
      () => tri(['agent', 'link', String(world.issue)]),
    );
    await step(`tri agent step "…"`, preview(TRI_MESSAGE), () => tri(['agent', 'step', TRI_MESSAGE]));
    await step('tri agent log', 'rebuild the journal from the thread’s markers', () => tri(['agent', 'log']));

    story.commentsBeforeClose = new Set(repo.comments(world.issue).map((comment) => comment.id));
    await step(
      `${author} closes the issue`,
      `PATCH /repos/${world.repo}/issues/${world.issue} {"state":"closed"}`,
      () => closeIssue(),
    );
    const closed = issuesPayload('reopened');
    closed.action = 'closed';
    closed.issue.state = 'closed';
    await step('destroy-sandbox', 'on issues.closed: delete the service, post sandbox_destroyed', () =>
      action('destroy-sandbox', closed, { expect: expectOutput('status', 'destroyed') }),
    );
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    story.failure = error.message;
    out.say(style.red(`  The story stopped here: ${story.failure}`));
  }
  return story;
}

/** One step's result line, outputs, log and labels; throws StepFailure when it went wrong. */
function narrate(out: Output, record: StepRecord, outcome: Outcome): void {
  const { style } = out;
  const ok = outcome.exitCode === 0 && outcome.failure === undefined;
  out.say(
    `  ${ok ? style.green('✔') : style.red('✘')} exit ${outcome.exitCode ?? '(killed)'} · ${seconds(record.ms)} · ` +
      `${record.github} GitHub requests · ${record.railway} Railway requests`,
  );
  const outputs = Object.entries(outcome.outputs ?? {});
  if (outputs.length > 0) {
    out.say(style.dim('    outputs:'));
    for (const line of table(
      outputs.map(([key, value]) => [key, value]),
      { indent: '      ' },
    ))
      out.say(line);
  }
  if (!out.quiet || !ok) for (const line of outcome.log) out.say(style.dim(`    │ ${line}`));
  out.say(style.dim(`    labels: ${record.labels.join(', ') || '(none)'}`));
  out.say();
  if (!ok) {
    const firstError = outcome.log.find((line) => line.startsWith('error: '));
    const why =
      outcome.failure ??
      `exited with ${outcome.exitCode}${firstError === undefined ? '' : ` (${firstError})`}`;
    throw new StepFailure(`${record.title}: ${why}`);
  }
}

/** What the runner's log would show: plain lines and annotations, not debug or mask commands. */
function runnerLog(stdout: string, stderr: string): string[] {
  const lines: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (command === null) lines.push(line);
    else if (['error', 'warning', 'notice'].includes(command[1] ?? ''))
      lines.push(`${command[1]}: ${decodeURIComponent((command[2] ?? '').replace(/%(?!0A|0D|25)/g, '%25'))}`);
  }
  for (const line of stderr.split('\n')) if (line.trim() !== '') lines.push(`stderr: ${line}`);
  return lines;
}

function nonBlank(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

const expectOutput =
  (key: string, wanted: string) =>
  (outputs: Record<string, string>): string | undefined =>
    outputs[key] === wanted ? undefined : `output ${key} is "${outputs[key] ?? ''}", expected "${wanted}"`;

function preview(message: string): string {
  const shown = message.replaceAll(PASTED_SECRET, 'ghp_••••');
  return `message “${shown.length > 90 ? `${shown.slice(0, 89)}…` : shown}”`;
}

/** The login of whoever opened the issue in the payload. */
export function issueAuthor(payload: IssuesPayload): string {
  const user: unknown = payload.issue.user;
  if (typeof user !== 'object' || user === null || !('login' in user)) return 'octocat';
  return typeof user.login === 'string' ? user.login : 'octocat';
}
