import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionNames, repoRoot } from '../support/action-metadata.js';

interface Problem {
  message: string;
  fixable: boolean;
}

/** The shape of scripts/generate-docs.mjs (plain JavaScript, so typed here). */
interface GenerateDocs {
  DOCS_FILE: string;
  EXAMPLE_FILE: string;
  REUSABLE_FILE: string;
  PUBLISHED_PREFIX: string;
  PUBLISHED_REF: string;
  checkDocs(root: string): Promise<{ problems: Problem[]; files: Map<string, string> }>;
  main(
    argv: string[],
    options: { root?: string; out?: (text: string) => void; err?: (text: string) => void },
  ): Promise<number>;
  findRegions(markdown: string): Map<string, string>;
  renderInputs(metadata: {
    inputs?: Record<string, { description: string; required?: boolean; default?: string }>;
  }): string;
  renderReusableWorkflow(source: string): string;
}

const script = join(repoRoot, 'scripts', 'generate-docs.mjs');
const generator = (await import(pathToFileURL(script).href)) as GenerateDocs;

const COPIED = [
  '.prettierrc.json',
  'docs/actions.md',
  'docs/workflow-example.yml',
  '.github/workflows/issue-sandbox.yml',
  '.github/workflows/issue-sandbox-reusable.yml',
  ...actionNames().map((name) => `actions/${name}/action.yml`),
];

async function run(root: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await generator.main(argv, {
    root,
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** docs/actions.md with every generated region emptied: the prose the generator must not touch. */
function prose(markdown: string): string {
  return markdown.replace(/(<!-- ([a-z]+:[a-z0-9-]+):start -->)[\s\S]*?(<!-- \2:end -->)/g, '$1$3');
}

describe('docs/actions.md and the reusable workflow', () => {
  it('are up to date: `node scripts/generate-docs.mjs --check` passes on the committed files', () => {
    const result = spawnSync(process.execPath, [script, '--check'], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('have a region for the inputs and the outputs of every action, and for the example workflow', () => {
    const regions = generator.findRegions(readFileSync(join(repoRoot, generator.DOCS_FILE), 'utf8'));
    const expected = actionNames().flatMap((name) => [`inputs:${name}`, `outputs:${name}`]);
    expect([...regions.keys()].sort()).toEqual([...expected, 'workflow:issue-sandbox'].sort());
  });

  it('call the published actions from the reusable workflow, without checkout, and show the caller', () => {
    const reusable = readFileSync(join(repoRoot, generator.REUSABLE_FILE), 'utf8');
    expect(reusable).not.toMatch(/\.\/actions\//);
    expect(reusable).not.toMatch(/actions\/checkout@/);
    for (const name of actionNames()) {
      expect(reusable).toContain(`uses: ${generator.PUBLISHED_PREFIX}${name}@${generator.PUBLISHED_REF}`);
    }
    const example = readFileSync(join(repoRoot, generator.EXAMPLE_FILE), 'utf8');
    expect(readFileSync(join(repoRoot, generator.DOCS_FILE), 'utf8')).toContain(example.trim());
  });

  it('turn the triggers of the repository workflow into workflow_call with the Railway secret', () => {
    const source = readFileSync(join(repoRoot, '.github/workflows/issue-sandbox.yml'), 'utf8');
    const rendered = parse(generator.renderReusableWorkflow(source)) as { on: Record<string, unknown> };
    expect(rendered.on).toEqual({
      workflow_call: {
        secrets: { RAILWAY_TOKEN: { description: expect.any(String) as unknown, required: true } },
      },
    });
  });

  it('render table cells safely: one line, pipes escaped', () => {
    const table = generator.renderInputs({
      inputs: { mode: { description: 'Either "a" | "b",\nnothing else.', default: 'a|b' } },
    });
    expect(table).toContain('| `mode` | no | `a\\|b` | Either "a" \\| "b", nothing else. |');
  });
});

describe('generate-docs on a copy of the repository', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'generate-docs-'));
    for (const file of COPIED) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      cpSync(join(repoRoot, file), join(root, file));
    }
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const edit = (file: string, change: (text: string) => string): void =>
    writeFileSync(join(root, file), change(readFileSync(join(root, file), 'utf8')));

  it('passes --check on the unchanged copy', async () => {
    expect(await run(root, ['--check'])).toMatchObject({ code: 0, err: '' });
  });

  it('fails --check naming the action whose input changed, and prints the fix', async () => {
    edit('actions/provision-sandbox/action.yml', (text) =>
      text.replace(
        'inputs:\n',
        'inputs:\n  region:\n    description: Railway region of the sandbox.\n    required: false\n',
      ),
    );
    const before = readFileSync(join(root, 'docs/actions.md'), 'utf8');
    const result = await run(root, ['--check']);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      'the inputs of provision-sandbox (from actions/provision-sandbox/action.yml) is stale',
    );
    expect(result.err).toContain('Run `npm run docs`');
    expect(result.err).not.toMatch(/deploy-sandbox|destroy-sandbox|journal-step|outputs of provision/);
    expect(readFileSync(join(root, 'docs/actions.md'), 'utf8')).toBe(before);

    expect((await run(root, [])).code).toBe(0);
    const after = readFileSync(join(root, 'docs/actions.md'), 'utf8');
    expect(after).toMatch(/\| `region` +\| no +\| +\| Railway region of the sandbox\. +\|/);
    expect(prose(after)).toBe(prose(before));
    expect(await run(root, ['--check'])).toMatchObject({ code: 0 });
  });

  it('fails --check naming the action whose output changed', async () => {
    edit('actions/journal-step/action.yml', (text) =>
      text.replace('URL of the event comment.', 'URL of the event comment in the thread.'),
    );
    const result = await run(root, ['--check']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('the outputs of journal-step');
    expect(result.err).not.toContain('inputs of journal-step');
  });

  it('fails --check when the repository workflow changed, naming the reusable workflow', async () => {
    edit('.github/workflows/issue-sandbox.yml', (text) =>
      text.replace('timeout-minutes: 10', 'timeout-minutes: 12'),
    );
    const { problems } = await generator.checkDocs(root);
    expect(problems.map((problem) => problem.message)).toEqual([
      '.github/workflows/issue-sandbox-reusable.yml: stale (from .github/workflows/issue-sandbox.yml)',
    ]);
    expect((await run(root, [])).code).toBe(0);
    const reusable = readFileSync(join(root, '.github/workflows/issue-sandbox-reusable.yml'), 'utf8');
    expect(reusable).toContain('timeout-minutes: 12');
  });

  it('fails --check when the caller example changed, for the copy in docs/actions.md', async () => {
    edit('docs/workflow-example.yml', (text) => text.replace('secrets: inherit', 'secrets: inherit # all'));
    const { problems } = await generator.checkDocs(root);
    expect(problems.map((problem) => problem.message)).toEqual([
      'docs/actions.md: the caller workflow (from docs/workflow-example.yml) is stale',
    ]);
    expect((await run(root, [])).code).toBe(0);
    expect(readFileSync(join(root, 'docs/actions.md'), 'utf8')).toContain('secrets: inherit # all');
  });

  it('asks a person to add markers it cannot place, and still writes the rest', async () => {
    edit('docs/actions.md', (text) =>
      text
        .replace('<!-- outputs:deploy-sandbox:start -->', '')
        .replace('<!-- outputs:deploy-sandbox:end -->', ''),
    );
    edit('actions/journal-step/action.yml', (text) => text.replace('URL of the event comment.', 'The URL.'));
    const result = await run(root, []);
    expect(result.code).toBe(1);
    expect(result.err).toContain('no region for the outputs of deploy-sandbox');
    expect(readFileSync(join(root, 'docs/actions.md'), 'utf8')).toContain('| `comment-url`     | The URL.');
  });

  it('runs from the command line in the repository with exit code 0 when nothing is stale', () => {
    expect(
      execFileSync(process.execPath, [script, '--check'], { cwd: repoRoot, encoding: 'utf8' }),
    ).toContain('matches');
  });
});
