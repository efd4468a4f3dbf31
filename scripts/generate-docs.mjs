// Keeps the generated parts of the user documentation in step with their sources (docs/design.md,
// 'Generated files are checked'):
//
//   docs/actions.md           the regions between `<!-- <kind>:<name>:start -->` and `<!-- <kind>:<name>:end -->`:
//                             inputs:<action> and outputs:<action> from actions/<action>/action.yml, and
//                             workflow:issue-sandbox, the caller workflow users copy (docs/workflow-example.yml,
//                             which `tri init` writes; a test keeps the two equal). The prose around them is
//                             never touched.
//   .github/workflows/issue-sandbox-reusable.yml
//                             the reusable workflow every caller runs: .github/workflows/issue-sandbox.yml with
//                             `on:` turned into workflow_call, `uses: ./actions/<name>` into
//                             OWNER/trinity-issue-sandbox/actions/<name>@v1 and the checkout steps (which only
//                             local actions need) dropped. The routing lives in one file, this repository's own
//                             workflow, which runs the actions at its own commit.
//
// Usage: node scripts/generate-docs.mjs           rewrite the generated parts
//        node scripts/generate-docs.mjs --check   exit 1 naming every stale part, change nothing
//
// Everything generated goes through Prettier with the repository's configuration, so `npm run lint`
// and `--check` agree.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { isMap, isScalar, isSeq, parse, parseDocument } from 'yaml';

export const DOCS_FILE = 'docs/actions.md';
export const EXAMPLE_FILE = 'docs/workflow-example.yml';
export const WORKFLOW_FILE = '.github/workflows/issue-sandbox.yml';
export const REUSABLE_FILE = '.github/workflows/issue-sandbox-reusable.yml';
export const FIX_COMMAND = 'npm run docs';
// The repository users take the actions from: packages/cli/src/product.ts's PRODUCT_REPOSITORY and
// PRODUCT_MAJOR_TAG (test/workflows/product-name.test.ts keeps them equal).
export const PUBLISHED_PREFIX = 'OWNER/trinity-issue-sandbox/actions/';
export const PUBLISHED_REF = 'v1';

const REUSABLE_HEADER = [
  ' The reusable workflow: every issue event, `/sandbox` comment and manual run of the calling repository',
  ' goes to the actions. Call it from a workflow of a dozen lines (docs/workflow-example.yml, or `tri init`):',
  ' the triggers, the permissions, `uses: OWNER/trinity-issue-sandbox/.github/workflows/issue-sandbox-reusable.yml@v1`',
  ' and `secrets: inherit`. It reads the secret RAILWAY_TOKEN and the variables RAILWAY_PROJECT_ID,',
  ' RAILWAY_ENVIRONMENT_ID, SANDBOX_IMAGE, SANDBOX_LABEL and SANDBOX_MAX of the calling repository.',
  '',
  ' Generated from .github/workflows/issue-sandbox.yml by `npm run docs`: edit that file, not this one.',
  ' The actions are named with the major tag, like the workflow: no context gives a called workflow its',
  ' own ref (docs/actions.md, "Versions").',
].join('\n');

/** What a caller passes: only the secret, inherited (the settings are the caller's repository variables). */
const WORKFLOW_CALL = {
  workflow_call: {
    secrets: {
      RAILWAY_TOKEN: {
        description: 'Railway account, workspace or project token (pass it with `secrets: inherit`).',
        required: true,
      },
    },
  },
};

const MARKER = /<!-- ([a-z]+):([a-z0-9-]+):start -->\n([\s\S]*?)<!-- \1:\2:end -->/g;

/** The action folders that have an action.yml, sorted. */
export function listActions(root) {
  const dir = join(root, 'actions');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'action.yml')))
    .map((entry) => entry.name)
    .sort();
}

export function readAction(root, name) {
  return parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8'));
}

/** Text safe inside a Markdown table cell: one line, pipes escaped. */
function cell(text) {
  return String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|');
}

function code(text) {
  const value = String(text);
  const fence = value.includes('`') ? '``' : '`';
  return `${fence}${value.replace(/\|/g, '\\|')}${fence}`;
}

export function renderInputs(metadata) {
  const rows = Object.entries(metadata.inputs ?? {}).map(([input, declared]) => {
    const required = declared.required === true ? 'yes' : 'no';
    const fallback = declared.default === undefined || declared.default === '' ? '' : code(declared.default);
    return `| ${code(input)} | ${required} | ${fallback} | ${cell(declared.description)} |`;
  });
  if (rows.length === 0) return 'This action has no inputs.\n';
  return ['| input | required | default | description |', '| --- | --- | --- | --- |', ...rows, ''].join(
    '\n',
  );
}

export function renderOutputs(metadata) {
  const rows = Object.entries(metadata.outputs ?? {}).map(
    ([output, declared]) => `| ${code(output)} | ${cell(declared.description)} |`,
  );
  if (rows.length === 0) return 'This action has no outputs.\n';
  return ['| output | description |', '| --- | --- |', ...rows, ''].join('\n');
}

/**
 * The reusable workflow, from the repository's own: called instead of triggered, local actions become
 * published ones and the checkout steps go (a published action needs no checkout; the actions commit
 * through the API).
 */
export function renderReusableWorkflow(workflowSource) {
  const doc = parseDocument(workflowSource);
  if (!doc.has('on')) throw new Error(`${WORKFLOW_FILE}: no on:`);
  doc.set('on', doc.createNode(WORKFLOW_CALL));
  const jobs = doc.get('jobs');
  if (!isMap(jobs)) throw new Error(`${WORKFLOW_FILE}: no jobs`);
  for (const job of jobs.items) {
    const steps = isMap(job.value) ? job.value.get('steps') : undefined;
    if (!isSeq(steps)) continue;
    steps.items = steps.items.filter((step) => {
      const uses = isMap(step) ? step.get('uses') : undefined;
      return !(typeof uses === 'string' && uses.startsWith('actions/checkout@'));
    });
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      const uses = step.get('uses', true);
      if (isScalar(uses) && typeof uses.value === 'string' && uses.value.startsWith('./actions/')) {
        uses.value = `${PUBLISHED_PREFIX}${uses.value.slice('./actions/'.length)}@${PUBLISHED_REF}`;
      }
    }
  }
  // The header of the repository's workflow talks about this repository: replace it.
  doc.commentBefore = REUSABLE_HEADER;
  if (isMap(doc.contents)) doc.contents.commentBefore = undefined;
  return doc.toString({ lineWidth: 110 });
}

async function format(root, file, text, parser) {
  const options = (await prettier.resolveConfig(join(root, file))) ?? {};
  return prettier.format(text, { ...options, parser, filepath: join(root, file) });
}

/** What every region of docs/actions.md should contain, keyed `<kind>:<name>`, Prettier-formatted. */
export async function expectedRegions(root) {
  const regions = new Map();
  for (const name of listActions(root)) {
    const metadata = readAction(root, name);
    regions.set(`inputs:${name}`, await format(root, DOCS_FILE, renderInputs(metadata), 'markdown'));
    regions.set(`outputs:${name}`, await format(root, DOCS_FILE, renderOutputs(metadata), 'markdown'));
  }
  const example = readFileSync(join(root, EXAMPLE_FILE), 'utf8');
  const fenced = `\`\`\`yaml\n${example}\`\`\`\n`;
  regions.set('workflow:issue-sandbox', await format(root, DOCS_FILE, fenced, 'markdown'));
  return regions;
}

export async function expectedReusable(root) {
  const source = readFileSync(join(root, WORKFLOW_FILE), 'utf8');
  return format(root, REUSABLE_FILE, renderReusableWorkflow(source), 'yaml');
}

/** The regions found in a Markdown text, keyed `<kind>:<name>`, with their current content. */
export function findRegions(markdown) {
  const found = new Map();
  for (const match of markdown.matchAll(MARKER)) {
    found.set(`${match[1]}:${match[2]}`, match[3].replace(/^\n/, ''));
  }
  return found;
}

/** Rewrites only the content between markers; anything outside them stays byte for byte. */
export function replaceRegions(markdown, regions) {
  return markdown.replace(MARKER, (whole, kind, name) => {
    const content = regions.get(`${kind}:${name}`);
    if (content === undefined) return whole;
    return `<!-- ${kind}:${name}:start -->\n\n${content}\n<!-- ${kind}:${name}:end -->`;
  });
}

function describeRegion(key) {
  const [kind, name] = key.split(':');
  if (kind === 'workflow') return `the caller workflow (from ${EXAMPLE_FILE})`;
  return `the ${kind} of ${name} (from actions/${name}/action.yml)`;
}

/**
 * Compares the documentation under `root` with what its sources produce. Returns the problems, each
 * naming the file and what is stale or missing (`fixable`: the generator mends it; otherwise a person
 * has to add or remove markers), and the files as they should be.
 */
export async function checkDocs(root) {
  const problems = [];
  const files = new Map();
  const expected = await expectedRegions(root);

  const docsPath = join(root, DOCS_FILE);
  const markdown = existsSync(docsPath) ? readFileSync(docsPath, 'utf8') : '';
  const found = findRegions(markdown);
  for (const [key, content] of expected) {
    if (!found.has(key)) {
      const [kind, name] = key.split(':');
      problems.push({
        message:
          `${DOCS_FILE}: no region for ${describeRegion(key)}; add the lines ` +
          `<!-- ${kind}:${name}:start --> and <!-- ${kind}:${name}:end --> where it belongs`,
        fixable: false,
      });
    } else if (found.get(key).trim() !== content.trim()) {
      problems.push({ message: `${DOCS_FILE}: ${describeRegion(key)} is stale`, fixable: true });
    }
  }
  for (const key of found.keys()) {
    if (!expected.has(key)) {
      problems.push({
        message: `${DOCS_FILE}: region ${key} has no source (an action was removed or renamed?); delete it`,
        fixable: false,
      });
    }
  }
  const rewritten = replaceRegions(markdown, expected);
  if (rewritten !== markdown) files.set(DOCS_FILE, rewritten);

  const reusable = await expectedReusable(root);
  const reusablePath = join(root, REUSABLE_FILE);
  const current = existsSync(reusablePath) ? readFileSync(reusablePath, 'utf8') : undefined;
  if (current !== reusable) {
    problems.push({
      message: `${REUSABLE_FILE}: ${current === undefined ? 'missing' : 'stale'} (from ${WORKFLOW_FILE})`,
      fixable: true,
    });
    files.set(REUSABLE_FILE, reusable);
  }
  return { problems, files };
}

/** Writes what checkDocs says should change; returns the problems a human has to fix (missing markers). */
export async function writeDocs(root) {
  const { problems, files } = await checkDocs(root);
  for (const [file, text] of files) writeFileSync(join(root, file), text);
  return {
    written: [...files.keys()],
    unfixable: problems.filter((problem) => !problem.fixable).map((problem) => problem.message),
  };
}

/** The command line; returns the exit code. */
export async function main(argv, { root, out = console.log, err = console.error } = {}) {
  const base = root ?? resolve(dirname(fileURLToPath(import.meta.url)), '..');
  if (argv.includes('--check')) {
    const { problems } = await checkDocs(base);
    if (problems.length === 0) {
      out('generate-docs: everything generated matches its source (action.yml, the workflows, the caller).');
      return 0;
    }
    const list = problems.map((problem) => `  - ${problem.message}`).join('\n');
    err(`generate-docs: the documentation is out of date:\n${list}`);
    err(`Run \`${FIX_COMMAND}\` and commit the result.`);
    return 1;
  }
  const { written, unfixable } = await writeDocs(base);
  out(
    written.length === 0
      ? 'generate-docs: nothing to change.'
      : `generate-docs: wrote ${written.join(', ')}.`,
  );
  if (unfixable.length > 0) {
    err(
      `generate-docs: fix these by hand, then run it again:\n${unfixable.map((p) => `  - ${p}`).join('\n')}`,
    );
    return 1;
  }
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
