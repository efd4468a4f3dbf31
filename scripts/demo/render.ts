/**
 * What a person sees: the issue before the story, and afterwards the thread as it reads on GitHub,
 * the labels, the farm and experience files as committed, the commits, the requests each service
 * received and what is left on Railway. Reads the emulators' state; changes nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFarm } from '@trinity/core';
import type { World } from '../../test/support/e2e-world.js';
import { renderComment } from './comment-text.js';
import type { Output } from './output.js';
import { FARM_PATH, type Story, issueLabels } from './story.js';
import { type Style, humanTime, seconds, table } from './style.js';
import { listExperience } from './tri.js';

export function renderIssue(world: World, author: string, out: Output): void {
  const { say, style } = out;
  const issue = world.github.repo(world.repo).issue(world.issue);
  out.heading('The issue');
  say(`  ${style.bold(`${world.repo}#${world.issue}`)}  ${issue?.title ?? ''}`);
  say(`  opened by ${author}: ${style.dim(JSON.stringify(issue?.body ?? ''))}`);
  say(style.dim(`  (seeded from the real issues.opened payload of @octokit/webhooks-examples)`));
  say();
  say(`  GitHub emulator   ${world.github.url}`);
  say(
    `  Railway emulator  ${world.railway.url}  (project "sandboxes", deployments advance one state per poll)`,
  );
}

/** Every section after the steps, in the order a reader wants them. */
export function renderAftermath(world: World, story: Story, out: Output): void {
  renderThread(world, story, out);
  renderLabels(world, story, out);
  renderFarm(world, out);
  renderExperience(world, story, out);
  renderCommits(world, out);
  renderRequests(world, story, out);
  renderRailway(world, out);
}

function renderThread(world: World, story: Story, out: Output): void {
  const { say, style } = out;
  const { author, commentsBeforeClose } = story;
  const repo = world.github.repo(world.repo);
  const issue = repo.issue(world.issue);
  out.heading('The thread, as it reads on GitHub');
  const comments = repo.comments(world.issue);
  say(`  ${style.bold(issue?.title ?? '')} #${world.issue}`);
  say(style.dim(`  ${author} opened this issue · ${comments.length} comments`));
  say();
  for (const line of (issue?.body ?? '').split('\n')) say(`  │ ${line}`);
  let closeShown = false;
  const showClose = (): void => {
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
}

function renderLabels(world: World, story: Story, out: Output): void {
  const { say, style } = out;
  out.heading('Labels');
  say(
    `  On the issue now: ${
      issueLabels(world)
        .map((label) => style.bold(label))
        .join(', ') || '(none)'
    }`,
  );
  say();
  say(style.dim('  After each step:'));
  for (const line of table(
    story.steps.map((s) => [s.title, s.labels.join(', ')]),
    { indent: '    ' },
  ))
    say(line);
}

function renderFarm(world: World, out: Output): void {
  const { say, style } = out;
  const repo = world.github.repo(world.repo);
  out.heading(`Farm file: ${FARM_PATH}`);
  const farmText = repo.readFile(FARM_PATH);
  if (farmText === undefined) {
    say('  (not committed)');
    return;
  }
  say(style.dim(`  As committed on ${repo.defaultBranch}:`));
  for (const line of farmText.trimEnd().split('\n')) say(`    ${line}`);
  const row = parseFarm(farmText, FARM_PATH).agent_map.findLast((r) => r.issue === world.issue);
  if (row === undefined) return;
  say();
  say(style.dim(`  The row of issue #${world.issue}, field by field:`));
  for (const line of table(
    Object.entries(row).map(([key, value]) => [key, String(value)]),
    { indent: '    ' },
  ))
    say(line);
}

function renderExperience(world: World, story: Story, out: Output): void {
  const { say, style } = out;
  const repo = world.github.repo(world.repo);
  out.heading('Experience files');
  for (const path of story.experienceFiles) {
    say(`  ${style.bold(path)}  ${style.dim(`(committed on ${repo.defaultBranch} by journal-step)`)}`);
    for (const line of (repo.readFile(path) ?? '(missing)').trimEnd().split('\n'))
      say(`    │ ${line}`.trimEnd());
    say();
  }
  const { workingCopy } = story;
  if (workingCopy === undefined) return;
  for (const name of listExperience(workingCopy)) {
    const path = `.trinity/experience/${name}`;
    say(
      `  ${style.bold(path)}  ${style.dim(`(in ${story.author}’s working copy, by tri agent step; committed with the work)`)}`,
    );
    for (const line of readFileSync(join(workingCopy, path), 'utf8').trimEnd().split('\n'))
      say(`    │ ${line}`.trimEnd());
    say();
  }
}

function renderCommits(world: World, out: Output): void {
  const repo = world.github.repo(world.repo);
  out.heading(`Commits on ${repo.defaultBranch}`);
  for (const line of table(
    repo.log().map((commit) => [commit.sha.slice(0, 7), commit.message.split('\n')[0] ?? '']),
  ))
    out.say(line);
}

function renderRequests(world: World, story: Story, out: Output): void {
  const { say, style } = out;
  out.heading('Requests each service received');
  for (const line of countTable(
    'GitHub REST (operationId)',
    world.github.requests.map((r) => ({
      name: r.operationId ?? `${r.method} ${r.path}`,
      failed: r.status < 200 || r.status >= 300,
    })),
    style,
  ))
    say(line);
  say();
  for (const line of countTable(
    'Railway GraphQL (operation)',
    world.railway.requests.map((r) => ({
      name: r.operationName ?? r.operation ?? '(no operation)',
      failed: (r.errors?.length ?? 0) > 0 || r.status !== 200,
    })),
    style,
  ))
    say(line);
  say();
  say(style.dim('  By step:'));
  for (const line of table(
    [
      ['step', 'GitHub', 'Railway', 'time'],
      ...story.steps.map((s) => [s.title, String(s.github), String(s.railway), seconds(s.ms)]),
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
}

function renderRailway(world: World, out: Output): void {
  const { say } = out;
  out.heading('Railway at the end');
  const services = world.railway.state.services(world.projectId);
  say(`  Services in project "sandboxes": ${services.length}${services.length === 0 ? ' (none left)' : ''}`);
  for (const service of services) say(`    ${service.name} (${service.id})`);
  const deployments = world.railway.state.deployments();
  say(`  Deployments ever made: ${deployments.length}`);
  for (const deployment of deployments) say(`    ${deployment.id}  ${deployment.status}`);
}

function countTable(
  title: string,
  requests: Array<{ name: string; failed: boolean }>,
  style: Style,
): string[] {
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
    { header: true, align: ['left', 'right', 'left'], style },
  );
}
