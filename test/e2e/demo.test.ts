import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PASTED_SECRET } from '../../scripts/demo/cast.js';
import { EXPECTED_EVENTS } from '../../scripts/demo/expected.js';
import { runProcess } from '../support/process.js';

const ROOT = join(import.meta.dirname, '..', '..');

const HEADINGS = [
  'The issue',
  'Steps, as they happen',
  'The thread, as it reads on GitHub',
  'Labels',
  'Farm file: .trinity/railway_farm.json',
  'Experience files',
  'Commits on master',
  'Requests each service received',
  'Railway at the end',
  'Result',
];

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run demo` as a person runs it, minus npm: its own process, stdout a pipe (not a terminal). */
async function runDemo(): Promise<DemoRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  const {
    exitCode: code,
    stdout,
    stderr,
  } = await runProcess(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: ROOT,
    env,
  });
  return { code, stdout, stderr };
}

/** The text under `━━ <title> ━━…`, up to the next heading. */
function section(stdout: string, title: string): string {
  const parts = stdout.split(/^━━ (.+?) ━+$/m);
  for (let i = 1; i < parts.length; i += 2) if (parts[i] === title) return parts[i + 1] ?? '';
  throw new Error(`no section "${title}" in:\n${stdout}`);
}

let run: DemoRun;
beforeAll(async () => {
  run = await runDemo();
}, 60_000);

describe('npm run demo (scripts/demo.ts)', () => {
  it('plays the whole story and exits 0', () => {
    expect(run.stderr).not.toMatch(/Error|demo:/);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(section(run.stdout, 'Result')).toMatch(/✔ One issue's whole life in [\d.]+ s/);
  });

  it('prints every section, in order, without colour codes when stdout is not a terminal', () => {
    const headings = [...run.stdout.matchAll(/^━━ (.+?) ━+$/gm)].map((match) => match[1]);
    expect(headings).toEqual(HEADINGS);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('redeploys from the thread and shows the issue’s life as a picture in the status comment', () => {
    // The command's answer, and the Mermaid timeline the status comment carries (docs/formats.md).
    expect(run.stdout).toContain('Redeployed');
    expect(run.stdout).toContain('flowchart TD');
    expect(run.stdout).toMatch(/e\d+\["\d+\. 🧹 sandbox destroyed/);
  });

  it('shows each step with its exit code and duration', () => {
    const steps = section(run.stdout, 'Steps, as they happen');
    for (const title of [
      'provision-sandbox',
      'deploy-sandbox',
      'journal-step #1',
      'journal-step #2',
      'Codertocat comments “/sandbox redeploy”',
      'tri agent link 1',
      'tri agent step',
      'tri agent log',
      'Codertocat closes the issue',
      'destroy-sandbox',
    ])
      expect(steps).toContain(`▶ ${title}`);
    expect(steps.match(/✔ exit 0 · [\d.]+ s/g)).toHaveLength(10);
    expect(steps).toContain('deployment-status  SUCCESS');
  });

  it('renders the thread with its events in order, the pasted token redacted and the mention neutralised', () => {
    const thread = section(run.stdout, 'The thread, as it reads on GitHub');
    expect([...thread.matchAll(/\[marker: event (\w+) key=/g)].map((match) => match[1])).toEqual(
      EXPECTED_EVENTS,
    );
    expect(thread).toMatch(/\[marker: status state=destroyed /);
    expect(thread).not.toContain('<!--');
    expect(thread).not.toContain('<details>');
    expect(thread).toContain('GITHUB_TOKEN=[REDACTED]');
    expect(thread).toContain('neutralised: @octocat is shown as text and notifies no one');
    expect(thread).toMatch(/closed this issue[\s\S]*sandbox_destroyed/);
    expect(run.stdout + run.stderr).not.toContain(PASTED_SECRET);
    expect(run.stdout).not.toContain('[a secret the demo refused to print]');
  });

  it('shows the labels, the farm file and the commits as they are in the emulated repository', () => {
    expect(section(run.stdout, 'Labels')).toContain('On the issue now: bug, sandbox: destroyed');
    expect(section(run.stdout, 'Farm file: .trinity/railway_farm.json')).toMatch(/"status":"destroyed"/);
    expect(
      section(run.stdout, 'Experience files').match(/^ {2}\.trinity\/experience\/\d{8}T\d{9}Z_1\.md/gm),
    ).toHaveLength(3);
    const commits = section(run.stdout, 'Commits on master');
    expect(commits).toMatch(/^ {2}[0-9a-f]{7} {2}sandbox: issue #1 sandbox issue-1 destroyed$/m);
    expect(commits).toMatch(/^ {2}[0-9a-f]{7} {2}Initial commit$/m);
  });

  it('counts the requests each service received, and leaves no service on Railway', () => {
    const totals = [
      ...section(run.stdout, 'Requests each service received').matchAll(/^ {2}total +(\d+)/gm),
    ].map((match) => Number(match[1]));
    expect(totals).toHaveLength(2);
    const [github, railway] = totals;
    expect(github).toBeGreaterThan(0);
    expect(railway).toBeGreaterThan(0);
    expect(section(run.stdout, 'Railway at the end')).toContain(
      'Services in project "sandboxes": 0 (none left)',
    );
  });
});
