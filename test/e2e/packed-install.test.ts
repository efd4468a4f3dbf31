/**
 * `tri` as a user gets it (docs/cli.md, 'Install'): the repository packed by npm, installed from the
 * tarball into an empty directory with no network, then run from there. The package has no runtime
 * dependencies (the bundle carries them), so the install needs no registry.
 *
 * What the package holds is read from the repository itself (`npm pack --dry-run`) and packed from a
 * staging copy of those files: the committed dist/tri, as the other bundle tests run the committed
 * bundles (check-dist keeps them equal to the sources; CI runs both).
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER_WORKFLOW_PATH, callerWorkflow } from '../../packages/cli/src/init/caller-workflow.js';
import { repoRoot } from '../support/action-metadata.js';
import { git } from '../support/git-remote.js';

interface PackResult {
  name: string;
  filename: string;
  files: Array<{ path: string }>;
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  files: string[];
  dependencies?: Record<string, string>;
  scripts: Record<string, string>;
};

let work: string;

/** npm with its own cache and no registry: any attempt to fetch a package fails instead of waiting. */
function npm(args: string[], cwd: string): string {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // `npm test` exports npm_config_* of this repository (workspaces among them): not for the user's npm.
    if (value !== undefined && !/^npm_/i.test(key)) env[key] = value;
  }
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...env,
      npm_config_cache: join(work, 'npm-cache'),
      npm_config_offline: 'true',
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
  });
}

function tri(
  bin: string,
  args: string[],
  cwd: string,
  env?: Record<string, string>,
): { code: number; stdout: string } {
  try {
    return { code: 0, stdout: execFileSync(bin, args, { cwd, encoding: 'utf8', ...(env ? { env } : {}) }) };
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    return { code: failed.status, stdout: failed.stdout };
  }
}

/** What `npm pack` would put in the tarball of the package at `root`. */
function packedFiles(root: string): string[] {
  const [packed] = JSON.parse(npm(['pack', '--dry-run', '--json'], root)) as PackResult[];
  if (packed === undefined) throw new Error(`npm pack --dry-run in ${root} listed no package`);
  return packed.files.map((file) => file.path).sort();
}

describe('the packed package, installed offline into an empty directory', () => {
  let bin: string;
  let app: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'packed-install-'));
    const stage = join(work, 'stage');
    for (const file of packedFiles(repoRoot)) cpSync(join(repoRoot, file), join(stage, file));
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], stage)) as PackResult[];
    if (packed === undefined) throw new Error('npm pack wrote no tarball');
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "private": true }\n');
    npm(['install', '--no-save', '--ignore-scripts', join(work, packed.filename)], app);
    bin = join(app, 'node_modules', '.bin', 'tri');
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships the CLI bundle, the README and the changelog, and nothing of the sources or the tests', () => {
    const files = packedFiles(repoRoot);
    expect(files).toEqual(
      [
        'CHANGELOG.md',
        'README.md',
        // The bundle and the chunks it loads lazily (the MCP SDK, for `tri mcp`).
        ...readdirSync(join(repoRoot, 'dist', 'tri')).map((file) => `dist/tri/${file}`),
        'package.json',
        ...(existsSync(join(repoRoot, 'LICENSE')) ? ['LICENSE'] : []),
      ].sort(),
    );
    expect(manifest.bin).toEqual({ tri: 'dist/tri/index.js' });
  });

  it('has no runtime dependencies to fetch and no install-time script (an install from git would run it)', () => {
    expect(manifest.dependencies ?? {}).toEqual({});
    for (const script of ['prepare', 'prepack', 'preinstall', 'install', 'postinstall']) {
      expect(manifest.scripts[script], script).toBeUndefined();
    }
    // Nothing but the package itself was installed.
    const installed = readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'));
    expect(installed).toEqual([manifest.name]);
  });

  it('runs `tri --help` from node_modules/.bin', () => {
    const help = tri(bin, ['--help'], app);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tri <command> \[options\]$/m);
    expect(help.stdout).toMatch(/^ {2}init +Write the issue-sandbox workflow/m);
  });

  it('runs `tri init` in a fresh repository: writes the caller workflow and prints the gh commands', () => {
    const repo = join(work, 'repo');
    mkdirSync(repo);
    git(repo, 'init', '--quiet', '--initial-branch=main');
    const init = tri(bin, ['init'], repo);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`Wrote ${CALLER_WORKFLOW_PATH}.`);
    expect(init.stdout).toMatch(/^ {2}gh secret set RAILWAY_TOKEN /m);
    expect(readFileSync(join(repo, CALLER_WORKFLOW_PATH), 'utf8')).toBe(callerWorkflow());
    const again = tri(bin, ['init'], repo);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing changed');
  });

  it('runs `tri doctor` there: without tokens every check that needs one fails and says what to set', () => {
    const repo = join(work, 'doctor');
    mkdirSync(repo);
    git(repo, 'init', '--quiet', '--initial-branch=main');
    // No token of any kind, and no network: a port nothing listens on.
    const env = { PATH: process.env.PATH ?? '', HOME: work, GITHUB_API_URL: 'http://127.0.0.1:9' };
    const doctor = tri(bin, ['doctor', '--repo', 'octo-org/app', '--json'], repo, env);
    expect(doctor.code).toBe(4);
    const report = JSON.parse(doctor.stdout) as {
      ok: boolean;
      findings: Array<{ id: string; status: string; fix: string | null }>;
    };
    expect(report.ok).toBe(false);
    const byId = new Map(report.findings.map((finding) => [finding.id, finding]));
    expect(byId.get('railway.token')?.status).toBe('fail');
    expect(byId.get('railway.token')?.fix).toMatch(/RAILWAY_TOKEN/);
    expect(byId.get('github.token')?.status).toBe('fail');
    expect(byId.get('github.token')?.fix).toMatch(/GH_TOKEN|GITHUB_TOKEN/);
  });
});
