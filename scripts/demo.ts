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
 * The parts live in scripts/demo/: the story (story.ts), what is shown afterwards (render.ts) and
 * the checks (checks.ts, against expected.ts, which the demo's test shares).
 *
 * Options: --quiet leaves out what each step printed (its log lines).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GITHUB_TOKEN, RAILWAY_TOKEN, startWorld } from '../test/support/e2e-world.js';
import { issuesPayload } from '../test/support/webhook-payloads.js';
import { DEVELOPER_TOKEN, PASTED_SECRET } from './demo/cast.js';
import { checkStory } from './demo/checks.js';
import { createOutput } from './demo/output.js';
import { renderAftermath, renderIssue } from './demo/render.js';
import { issueAuthor, playStory } from './demo/story.js';
import { createStyle, seconds, wantsColour } from './demo/style.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLES = ['provision-sandbox', 'deploy-sandbox', 'journal-step', 'destroy-sandbox', 'tri'];

const flags = readFlags();
const missing = BUNDLES.filter((name) => !existsSync(join(ROOT, 'dist', name, 'index.js')));
if (missing.length > 0) {
  console.error(
    `demo: ${missing.map((name) => `dist/${name}/index.js`).join(', ')} missing. ` +
      'The bundles are committed; restore them with `git checkout -- dist` or rebuild with `npm run build`.',
  );
  process.exit(1);
}

const style = createStyle(wantsColour(process.stdout, process.env));
const out = createOutput({
  style,
  secrets: [PASTED_SECRET, GITHUB_TOKEN, RAILWAY_TOKEN, DEVELOPER_TOKEN],
  quiet: flags.quiet,
  write: (text) => process.stdout.write(text),
});

const startedAt = performance.now();
const opened = issuesPayload('opened');
const world = await startWorld(opened);
const scratch: string[] = [];
let problems: string[];
let summary: string;
try {
  renderIssue(world, issueAuthor(opened), out);
  out.heading('Steps, as they happen');
  const story = await playStory(world, opened, out, { root: ROOT, scratch: (dir) => scratch.push(dir) });
  renderAftermath(world, story, out);
  problems = checkStory(world, story, out.secretPrinted());
  const repo = world.github.repo(world.repo);
  summary =
    `${story.steps.length} steps, ${repo.comments(world.issue).length} comments, ` +
    `${repo.log().length} commits, ${world.github.requests.length} GitHub and ` +
    `${world.railway.requests.length} Railway requests`;
} finally {
  await world.close();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
}

out.heading('Result');
const total = seconds(performance.now() - startedAt);
if (problems.length === 0) {
  out.say(style.green(`  ✔ One issue's whole life in ${total}: ${summary}.`));
} else {
  for (const problem of problems) out.say(style.red(`  ✘ ${problem}`));
  out.say(style.dim(`  (${total})`));
  process.exitCode = 1;
}

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
