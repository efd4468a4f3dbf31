// Keeps the generated parts of the user documentation in step with their sources (docs/design.md,
// 'Generated files are checked'):
//
//   docs/actions.md           the regions between `<!-- <kind>:<name>:start -->` and `<!-- <kind>:<name>:end -->`:
//                             inputs:<action> and outputs:<action> from actions/<action>/action.yml, and
//                             workflow:issue-sandbox, the copy-paste workflow. The prose around them is
//                             never touched.
//   docs/workflow-example.yml the copy-paste workflow itself: .github/workflows/issue-sandbox.yml with
//                             `uses: ./actions/<name>` turned into OWNER/trinity-issue-sandbox/actions/<name>@v1
//                             and the checkout steps (which only local actions need) dropped.
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
export const FIX_COMMAND = 'npm run docs';
export const PUBLISHED_PREFIX = 'OWNER/trinity-issue-sandbox/actions/';
export const PUBLISHED_REF = 'v1';

const EXAMPLE_HEADER = [
  ' Copy to .github/workflows/issue-sandbox.yml in your repository and replace OWNER.',
  ' Generated from this repository’s own .github/workflows/issue-sandbox.yml by `npm run docs`.',
  ' Set the secret RAILWAY_TOKEN and the variables RAILWAY_PROJECT_ID, RAILWAY_ENVIRONMENT_ID and',
  ' SANDBOX_IMAGE (optional: SANDBOX_LABEL, SANDBOX_MAX). See docs/actions.md.',
].join('\n');

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
 * The copy-paste workflow, from the repository's own: local actions become published ones and the
 * checkout steps go (a published action needs no checkout; the actions commit through the API).
 */
export function renderExampleWorkflow(workflowSource) {
  const doc = parseDocument(workflowSource);
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
  doc.commentBefore = EXAMPLE_HEADER;
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
  const example = await expectedExample(root);
  const fenced = `\`\`\`yaml\n${example}\`\`\`\n`;
  regions.set('workflow:issue-sandbox', await format(root, DOCS_FILE, fenced, 'markdown'));
  return regions;
}

export async function expectedExample(root) {
  const source = readFileSync(join(root, WORKFLOW_FILE), 'utf8');
  return format(root, EXAMPLE_FILE, renderExampleWorkflow(source), 'yaml');
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
  if (kind === 'workflow') return `the example workflow (from ${WORKFLOW_FILE})`;
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

  const example = await expectedExample(root);
  const examplePath = join(root, EXAMPLE_FILE);
  const current = existsSync(examplePath) ? readFileSync(examplePath, 'utf8') : undefined;
  if (current !== example) {
    problems.push({
      message: `${EXAMPLE_FILE}: ${current === undefined ? 'missing' : 'stale'} (from ${WORKFLOW_FILE})`,
      fixable: true,
    });
    files.set(EXAMPLE_FILE, example);
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
      out('generate-docs: the documentation matches action.yml and the workflow.');
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
