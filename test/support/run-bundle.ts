import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readActionMetadata, repoRoot } from './action-metadata.js';
import { runProcess } from './process.js';

export interface BundleRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** What the step saved with `core.saveState` (GITHUB_STATE), later entries winning, as the runner reads it. */
  state: Record<string, string>;
  /** The signal that ended the process, when `killWhen` killed it. */
  signal: NodeJS.Signals | null;
}

export interface BundleRunOptions {
  /** Inputs as a workflow's `with:` would give them; defaults from action.yml fill the rest. */
  inputs?: Record<string, string>;
  /** The webhook payload the runner would write to GITHUB_EVENT_PATH. */
  payload?: unknown;
  eventName?: string;
  env?: Record<string, string>;
  /** What `${{ github.token }}` resolves to in defaults. */
  githubToken?: string;
  cwd?: string;
  /** Which of action.yml's entries to run: `runs.main` (default) or `runs.post`. */
  entry?: 'main' | 'post';
  /** Saved state handed to the step as the runner does: `STATE_<name>` variables (for a post step). */
  state?: Record<string, string>;
  /**
   * Kills the step with SIGKILL as soon as what it has saved so far satisfies this: a cancelled
   * run, stopped at a known point, not after a guessed time. The GITHUB_STATE file is checked
   * every few milliseconds while the step runs.
   */
  killWhen?: (state: Record<string, string>) => boolean;
  /**
   * Kills the step with SIGKILL as soon as this holds (checked every few milliseconds): a test's
   * own condition, such as an emulator holding back the answer to a write the step made.
   */
  killWhenSeen?: () => boolean;
}

/**
 * Runs a committed `dist/<name>/index.js` the way the Actions runner does: one `INPUT_<NAME>`
 * variable per declared input (the `with:` value, else the action.yml default, with
 * `${{ github.token }}` resolved), the GITHUB_* variables, the event payload in a file, and
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files read back afterwards. Nothing from the test process's
 * own environment leaks in except PATH and HOME.
 */
export async function runBundle(name: string, options: BundleRunOptions = {}): Promise<BundleRun> {
  const metadata = readActionMetadata(name);
  const work = mkdtempSync(join(tmpdir(), `bundle-${name}-`));
  const eventPath = join(work, 'event.json');
  const outputPath = join(work, 'output.txt');
  const summaryPath = join(work, 'summary.md');
  const statePath = join(work, 'state.txt');
  writeFileSync(eventPath, JSON.stringify(options.payload ?? {}));
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  writeFileSync(statePath, '');

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? work,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_REPOSITORY: 'octo-org/sandbox-demo',
    GITHUB_EVENT_NAME: options.eventName ?? 'issues',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_STATE: statePath,
    GITHUB_RUN_ID: '1001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    RUNNER_TEMP: work,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  for (const [input, spec] of Object.entries(metadata.inputs)) {
    const given = options.inputs?.[input];
    const fallback = spec.default?.replace('${{ github.token }}', options.githubToken ?? '');
    const value = given ?? fallback;
    // The runner's naming: spaces to underscores, upper case, hyphens kept.
    if (value !== undefined) env[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const input of Object.keys(options.inputs ?? {})) {
    if (!(input in metadata.inputs))
      throw new Error(`${name} declares no input "${input}" (the runner would warn)`);
  }

  const script = options.entry === 'post' ? metadata.runs.post : metadata.runs.main;
  if (script === undefined) throw new Error(`${name} declares no runs.post`);
  let signal: NodeJS.Signals | null = null;
  let watcher: NodeJS.Timeout | undefined;
  const { killWhen, killWhenSeen } = options;
  const { exitCode, stdout, stderr } = await runProcess(
    process.execPath,
    [resolve(repoRoot, script.replace('../../', ''))],
    {
      cwd: options.cwd ?? work,
      env,
      ...(killWhen === undefined && killWhenSeen === undefined
        ? {}
        : {
            onSpawn: (child) => {
              watcher = setInterval(() => {
                const due =
                  killWhenSeen?.() === true ||
                  killWhen?.(parseOutputFile(readFileSync(statePath, 'utf8'))) === true;
                if (!due) return;
                clearInterval(watcher);
                signal = 'SIGKILL';
                child.kill('SIGKILL');
              }, 5);
            },
          }),
    },
  ).finally(() => clearInterval(watcher));
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputPath, 'utf8')),
    summary: readFileSync(summaryPath, 'utf8'),
    state: parseOutputFile(readFileSync(statePath, 'utf8')),
    signal,
  };
}

/** GITHUB_OUTPUT and GITHUB_STATE use `name<<DELIMITER\nvalue\nDELIMITER` blocks (what @actions/core writes). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (header === null) continue;
    const [, key, delimiter] = header;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    outputs[key as string] = value.join('\n');
  }
  return outputs;
}
