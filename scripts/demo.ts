/**
 * `npm run demo` (`tsx scripts/demo.ts`): one GitHub issue's whole life, offline, with no account.
 *
 * Both emulators run in this process (GitHub seeded from the real `issues.opened` webhook example,
 * Railway advancing deployments one state per poll). The committed action bundles run as the
 * Actions runner runs them, and the committed `tri` bundle as a developer runs it, and then the
 * demo prints what a person would see: the thread on GitHub, the labels, the farm file and the
 * experience files as committed, the commits, how many requests each service received, and what
 * is left on Railway. Exits 0 when the story went as it should, 1 (with the reason) otherwise.
 *
 * Options: --quiet leaves out what each step printed (its log lines).
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findEventMarker, parseFarm } from '@trinity/core';
import { GITHUB_TOKEN, RAILWAY_TOKEN, startWorld } from '../test/support/e2e-world.js';
import { issuesPayload } from '../test/support/webhook-payloads.js';
import { DEVELOPER_TOKEN, JOURNAL_MESSAGES, PASTED_SECRET, TRI_MESSAGE } from './demo/cast.js';
import { renderComment } from './demo/comment-text.js';
import { createStyle, humanTime, seconds, table, wantsColour } from './demo/style.js';
import { createWorkingCopy, runTri } from './demo/tri.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLES = ['provision-sandbox', 'deploy-sandbox', 'journal-step', 'destroy-sandbox', 'tri'];
const EXPECTED_EVENTS = [
  'sandbox_created',
  'deployment_started',
  'deployment_succeeded',
  'step_completed',
  'step_completed',
  'step_completed',
  'sandbox_destroyed',
];

const flags = readFlags();
const style = createStyle(wantsColour(process.stdout, process.env));

// ── Output: one writer, which refuses to print a secret (and fails the demo if it was asked to). ──

const SECRETS = [PASTED_SECRET, GITHUB_TOKEN, RAILWAY_TOKEN, DEVELOPER_TOKEN];
let secretPrinted = false;

function say(line = ''): void {
  let text = line;
  for (const secret of SECRETS)
    if (text.includes(secret)) {
      secretPrinted = true;
      text = text.replaceAll(secret, '[a secret the demo refused to print]');
    }
  process.stdout.write(`${text}\n`);
}

function heading(title: string): void {
  say();
  say(style.bold(style.cyan(`━━ ${title} ${'━'.repeat(Math.max(3, 74 - [...title].length))}`)));
  say();
}

// ── Preconditions ──

const missing = BUNDLES.filter((name) => !existsSync(join(ROOT, 'dist', name, 'index.js')));
if (missing.length > 0) {
  console.error(
    `demo: ${missing.map((name) => `dist/${name}/index.js`).join(', ')} missing. ` +
      'The bundles are committed; restore them with `git checkout -- dist` or rebuild with `npm run build`.',
  );
  process.exit(1);
}

// ── The steps ──

class DemoFailure extends Error {}

interface Outcome {
  exitCode: number | null;
  outputs?: Record<string, string>;
  log: string[];
  /** Why the step did not do what it should, although it may have exited 0. */
  failure?: string | undefined;
}

interface StepRecord {
  title: string;
  ms: number;
  github: number;
  railway: number;
  labels: string[];
}

const startedAt = performance.now();
const opened = issuesPayload('opened');
const world = await startWorld(opened);
const repo = world.github.repo(world.repo);
const steps: StepRecord[] = [];
const experienceFiles: string[] = [];
let workingCopy: string | undefined;
let commentsBeforeClose: Set<number> | undefined;
let failure: string | undefined;

const author = loginOf(opened.issue.user) ?? 'octocat';
world.github.addToken(DEVELOPER_TOKEN, { login: author });

function issueLabels(): string[] {
  return repo.issue(world.issue)?.labels ?? [];
}

async function step(title: string, what: string, act: () => Promise<Outcome>): Promise<Outcome> {
  say(`${style.bold(`▶ ${title}`)}  ${style.dim(what)}`);
  const github0 = world.github.requests.length;
  const railway0 = world.railway.requests.length;
  const t0 = performance.now();
  const outcome = await act();
  const record: StepRecord = {
    title,
    ms: performance.now() - t0,
    github: world.github.requests.length - github0,
    railway: world.railway.requests.length - railway0,
    labels: issueLabels(),
  };
  steps.push(record);
  const ok = outcome.exitCode === 0 && outcome.failure === undefined;
  say(
    `  ${ok ? style.green('✔') : style.red('✘')} exit ${outcome.exitCode ?? '(killed)'} · ${seconds(record.ms)} · ` +
      `${record.github} GitHub requests · ${record.railway} Railway requests`,
  );
  const outputs = Object.entries(outcome.outputs ?? {});
  if (outputs.length > 0) {
    say(style.dim('    outputs:'));
    for (const line of table(
      outputs.map(([key, value]) => [key, value]),
      { indent: '      ' },
    ))
      say(line);
  }
  if (!flags.quiet || !ok) for (const line of outcome.log) say(style.dim(`    │ ${line}`));
  say(style.dim(`    labels: ${record.labels.join(', ') || '(none)'}`));
  say();
  if (!ok) {
    const firstError = outcome.log.find((line) => line.startsWith('error: '));
    const why =
      outcome.failure ??
      `exited with ${outcome.exitCode}${firstError === undefined ? '' : ` (${firstError})`}`;
    throw new DemoFailure(`${title}: ${why}`);
  }
  return outcome;
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

async function action(
  name: string,
  payload: unknown,
  options: {
    inputs?: Record<string, string>;
    expect?: (outputs: Record<string, string>) => string | undefined;
  } = {},
): Promise<Outcome> {
  const run = await world.run(name, { payload, ...(options.inputs ? { inputs: options.inputs } : {}) });
  return {
    exitCode: run.exitCode,
    outputs: run.outputs,
    log: runnerLog(run.stdout, run.stderr),
    failure: run.exitCode === 0 ? options.expect?.(run.outputs) : undefined,
  };
}

async function tri(args: string[]): Promise<Outcome> {
  if (workingCopy === undefined) throw new Error('no working copy');
  const run = await runTri(join(ROOT, 'dist', 'tri', 'index.js'), args, {
    cwd: workingCopy,
    env: { GITHUB_TOKEN: DEVELOPER_TOKEN, GITHUB_API_URL: world.github.url, GITHUB_REPOSITORY: world.repo },
  });
  return {
    exitCode: run.exitCode,
    log: [
      ...run.stdout.split('\n').filter((line) => line.trim() !== ''),
      ...run.stderr
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => `stderr: ${line}`),
    ],
  };
}

const expectOutput =
  (key: string, wanted: string) =>
  (outputs: Record<string, string>): string | undefined =>
    outputs[key] === wanted ? undefined : `output ${key} is "${outputs[key] ?? ''}", expected "${wanted}"`;

function preview(message: string): string {
  const shown = message.replaceAll(PASTED_SECRET, 'ghp_••••');
  return `message “${shown.length > 90 ? `${shown.slice(0, 89)}…` : shown}”`;
}

const issue = repo.issue(world.issue);
heading('The issue');
say(`  ${style.bold(`${world.repo}#${world.issue}`)}  ${issue?.title ?? ''}`);
say(`  opened by ${author}: ${style.dim(JSON.stringify(issue?.body ?? ''))}`);
say(style.dim(`  (seeded from the real issues.opened payload of @octokit/webhooks-examples)`));
say();
say(`  GitHub emulator   ${world.github.url}`);
say(
  `  Railway emulator  ${world.railway.url}  (project "sandboxes", deployments advance one state per poll)`,
);

heading('Steps, as they happen');
try {
  await step('provision-sandbox', 'on issues.opened: create the Railway service, post sandbox_created', () =>
    action('provision-sandbox', opened, { expect: expectOutput('status', 'deploying') }),
  );
  await step('deploy-sandbox', 'on issues.opened: wait for the deployment, post its start and outcome', () =>
    action('deploy-sandbox', opened, { expect: expectOutput('deployment-status', 'SUCCESS') }),
  );
  for (const [i, message] of JOURNAL_MESSAGES.entries()) {
    const { outputs } = await step(`journal-step #${i + 1}`, preview(message), () =>
      action('journal-step', opened, {
        inputs: { message },
        expect: (out) => (out['experience-file'] ? undefined : 'no experience-file output'),
      }),
    );
    if (outputs?.['experience-file']) experienceFiles.push(outputs['experience-file']);
  }

  const farm = repo.readFile('.trinity/railway_farm.json');
  workingCopy = createWorkingCopy(farm === undefined ? {} : { '.trinity/railway_farm.json': farm });
  say(style.dim(`  ${author} pulls the repository and journals from their own working copy with tri:`));
  say();
  await step(
    `tri agent link ${world.issue}`,
    'link the working copy to the issue (and its sandbox session)',
    () => tri(['agent', 'link', String(world.issue)]),
  );
  await step(`tri agent step "…"`, preview(TRI_MESSAGE), () => tri(['agent', 'step', TRI_MESSAGE]));
  await step('tri agent log', 'rebuild the journal from the thread’s markers', () => tri(['agent', 'log']));

  commentsBeforeClose = new Set(repo.comments(world.issue).map((comment) => comment.id));
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
  if (!(error instanceof DemoFailure)) throw error;
  failure = error.message;
  say(style.red(`  The story stopped here: ${failure}`));
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

// ── What a person sees afterwards ──

heading('The thread, as it reads on GitHub');
const comments = repo.comments(world.issue);
say(`  ${style.bold(issue?.title ?? '')} #${world.issue}`);
say(style.dim(`  ${author} opened this issue · ${comments.length} comments`));
say();
for (const line of (issue?.body ?? '').split('\n')) say(`  │ ${line}`);
let closeShown = false;
const showClose = () => {
  if (closeShown || commentsBeforeClose === undefined) return;
  closeShown = true;
  say();
  say(style.yellow(`  ● ${author} closed this issue as completed`));
};
comments.forEach((comment, n) => {
  if (commentsBeforeClose !== undefined && !commentsBeforeClose.has(comment.id)) showClose();
  const rendered = renderComment(comment.body, style);
  const edited =
    comment.updated_at === comment.created_at ? '' : ` · edited ${humanTime(comment.updated_at)}`;
  say();
  say(
    `  ${style.bold(`${n + 1}. ${comment.user}`)} commented ${humanTime(comment.created_at)}${style.dim(edited)}`,
  );
  if (rendered.marker !== undefined) say(style.dim(`     ${rendered.marker}`));
  for (const line of rendered.lines) say(`     │ ${line}`.trimEnd());
  rendered.links.forEach((url, i) => say(style.dim(`     [${i + 1}] ${url}`)));
  for (const note of rendered.neutralised) say(style.yellow(`     ⓘ neutralised: ${note}`));
});
showClose();

heading('Labels');
say(
  `  On the issue now: ${
    issueLabels()
      .map((label) => style.bold(label))
      .join(', ') || '(none)'
  }`,
);
say();
say(style.dim('  After each step:'));
for (const line of table(
  steps.map((s) => [s.title, s.labels.join(', ')]),
  { indent: '    ' },
))
  say(line);

heading('Farm file: .trinity/railway_farm.json');
const farmText = repo.readFile('.trinity/railway_farm.json');
if (farmText === undefined) say('  (not committed)');
else {
  say(style.dim(`  As committed on ${repo.defaultBranch}:`));
  for (const line of farmText.trimEnd().split('\n')) say(`    ${line}`);
  const row = parseFarm(farmText, '.trinity/railway_farm.json').agent_map.findLast(
    (r) => r.issue === world.issue,
  );
  if (row !== undefined) {
    say();
    say(style.dim(`  The row of issue #${world.issue}, field by field:`));
    for (const line of table(
      Object.entries(row).map(([key, value]) => [key, String(value)]),
      { indent: '    ' },
    ))
      say(line);
  }
}

heading('Experience files');
for (const path of experienceFiles) {
  say(`  ${style.bold(path)}  ${style.dim(`(committed on ${repo.defaultBranch} by journal-step)`)}`);
  for (const line of (repo.readFile(path) ?? '(missing)').trimEnd().split('\n'))
    say(`    │ ${line}`.trimEnd());
  say();
}
const localExperience = workingCopy === undefined ? [] : listExperience(workingCopy);
for (const name of localExperience) {
  const path = `.trinity/experience/${name}`;
  say(
    `  ${style.bold(path)}  ${style.dim(`(in ${author}’s working copy, by tri agent step; committed with the work)`)}`,
  );
  for (const line of readFileSync(join(workingCopy ?? '', path), 'utf8')
    .trimEnd()
    .split('\n'))
    say(`    │ ${line}`.trimEnd());
  say();
}

heading(`Commits on ${repo.defaultBranch}`);
for (const line of table(
  repo.log().map((commit) => [commit.sha.slice(0, 7), commit.message.split('\n')[0] ?? '']),
))
  say(line);

heading('Requests each service received');
const githubRequests = world.github.requests;
const railwayRequests = world.railway.requests;
for (const line of countTable(
  'GitHub REST (operationId)',
  githubRequests.map((r) => ({
    name: r.operationId ?? `${r.method} ${r.path}`,
    failed: r.status < 200 || r.status >= 300,
  })),
))
  say(line);
say();
for (const line of countTable(
  'Railway GraphQL (operation)',
  railwayRequests.map((r) => ({
    name: r.operationName ?? r.operation ?? '(no operation)',
    failed: (r.errors?.length ?? 0) > 0 || r.status !== 200,
  })),
))
  say(line);
say();
say(style.dim('  By step:'));
for (const line of table(
  [
    ['step', 'GitHub', 'Railway', 'time'],
    ...steps.map((s) => [s.title, String(s.github), String(s.railway), seconds(s.ms)]),
  ],
  { header: true, align: ['left', 'right', 'right', 'right'], indent: '    ', style },
))
  say(line);
say(
  style.dim(
    '  Errors above are part of the design: a 404 from repos/get-content is how the product learns a file\n' +
      '  is not there yet (the farm before the first sandbox, a new experience file), and "Not Authorized"\n' +
      '  from ProjectToken is how it learns the Railway token is an account token, not a project token.',
  ),
);

heading('Railway at the end');
const services = world.railway.state.services(world.projectId);
say(`  Services in project "sandboxes": ${services.length}${services.length === 0 ? ' (none left)' : ''}`);
for (const service of services) say(`    ${service.name} (${service.id})`);
const deployments = world.railway.state.deployments();
say(`  Deployments ever made: ${deployments.length}`);
for (const deployment of deployments) say(`    ${deployment.id}  ${deployment.status}`);

// ── Did the story go as it should? ──

const events = comments
  .map((comment) => findEventMarker(comment.body)?.type)
  .filter((type) => type !== undefined);
const problems: string[] = [];
if (failure !== undefined) problems.push(failure);
else {
  if (events.join() !== EXPECTED_EVENTS.join())
    problems.push(`the thread's events are ${events.join(', ')}; expected ${EXPECTED_EVENTS.join(', ')}`);
  if (services.length !== 0) problems.push(`${services.length} Railway service(s) left after destroy`);
}
const stored = [
  ...comments.map((comment) => comment.body),
  ...experienceFiles.map((path) => repo.readFile(path) ?? ''),
  ...localExperience.map((name) =>
    readFileSync(join(workingCopy ?? '', '.trinity/experience', name), 'utf8'),
  ),
];
if (stored.some((text) => text.includes(PASTED_SECRET)))
  problems.push('the pasted token reached the thread or an experience file');
if (secretPrinted) problems.push('a secret was about to be printed (it was not)');

await world.close();
if (workingCopy !== undefined) rmSync(workingCopy, { recursive: true, force: true });

heading('Result');
const total = seconds(performance.now() - startedAt);
if (problems.length === 0) {
  say(
    style.green(
      `  ✔ One issue's whole life in ${total}: ${steps.length} steps, ${comments.length} comments, ` +
        `${repo.log().length} commits, ${githubRequests.length} GitHub and ${railwayRequests.length} Railway requests.`,
    ),
  );
} else {
  for (const problem of problems) say(style.red(`  ✘ ${problem}`));
  say(style.dim(`  (${total})`));
  process.exitCode = 1;
}

// ── Helpers ──

function readFlags(): { quiet: boolean } {
  try {
    const { values } = parseArgs({ options: { quiet: { type: 'boolean', default: false } } });
    return { quiet: values.quiet };
  } catch (error) {
    console.error(
      `demo: ${error instanceof Error ? error.message : String(error)}\nUsage: npm run demo [-- --quiet]`,
    );
    process.exit(2);
  }
}

function loginOf(user: unknown): string | undefined {
  if (typeof user !== 'object' || user === null || !('login' in user)) return undefined;
  return typeof user.login === 'string' ? user.login : undefined;
}

function listExperience(dir: string): string[] {
  const path = join(dir, '.trinity', 'experience');
  return existsSync(path) ? readdirSync(path).sort() : [];
}

function countTable(title: string, requests: Array<{ name: string; failed: boolean }>): string[] {
  const counts = new Map<string, { n: number; failed: number }>();
  for (const request of requests) {
    const entry = counts.get(request.name) ?? { n: 0, failed: 0 };
    entry.n += 1;
    if (request.failed) entry.failed += 1;
    counts.set(request.name, entry);
  }
  const rows = [...counts.entries()]
    .sort(([a, x], [b, y]) => y.n - x.n || a.localeCompare(b))
    .map(([name, { n, failed }]) => [
      name,
      String(n),
      failed === 0 ? '' : style.yellow(`${failed} answered with an error`),
    ]);
  const failed = requests.filter((request) => request.failed).length;
  return table(
    [
      [title, 'requests', ''],
      ...rows,
      [
        'total',
        String(requests.length),
        failed === 0 ? '' : `${failed} ${failed === 1 ? 'error' : 'errors'}`,
      ],
    ],
    {
      header: true,
      align: ['left', 'right', 'left'],
      style,
    },
  );
}
