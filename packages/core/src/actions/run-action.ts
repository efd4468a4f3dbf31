import * as core from '@actions/core';
import { describeFailure, isUserError } from '../errors.js';
import { FailedWithResult, type LifecycleResult, type RunReport } from '../lifecycle/result.js';
import type { Logger } from '../logger.js';
import type { InputSource } from '../settings/inputs.js';
import type { RunContext } from '../settings/common.js';
import { createActionsLogger } from './actions-logger.js';
import { BREADCRUMB } from './breadcrumbs.js';
import { readRunContext } from './run-context.js';

export interface ActionRuntime {
  inputs: InputSource;
  context: RunContext;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Masks a value in every later log line of the job (`::add-mask::`); a function, passed on detached. */
  mask: (values: readonly string[]) => void;
  /** The action's name, e.g. `deploy-sandbox`. */
  action?: string;
  /**
   * Leaves a breadcrumb for the action's `post:` step (`core.saveState`; breadcrumbs.ts). Absent
   * where no post step follows (the bench, the CLI).
   */
  remember?: (name: string, value: string) => void;
}

/**
 * The one top-level handler each action's entry file calls: it builds the runtime from the
 * runner's environment, runs the action's body, sets its outputs and job summary, and turns any
 * failure into `setFailed` with a message that says whether the user can fix it.
 */
export async function runAction(
  name: string,
  body: (runtime: ActionRuntime) => Promise<LifecycleResult>,
): Promise<void> {
  const logger = createActionsLogger();
  const started = Date.now();
  const took = (): [string, string] => ['Took', `${((Date.now() - started) / 1000).toFixed(1)} s`];
  core.saveState(BREADCRUMB.action, name);
  try {
    const runtime: ActionRuntime = {
      ...runnerRuntime(name, logger),
      remember: (key, value) => core.saveState(key, value),
    };
    // Tokens are masked before anything can fail or log, even a refusal of another input.
    runtime.mask(TOKEN_INPUTS.map((input) => core.getInput(input)));
    await report(withTiming(await body(runtime), took()));
  } catch (error) {
    if (error instanceof FailedWithResult) await report(withTiming(error.result, took()));
    if (!isUserError(error) && error instanceof Error && error.stack) logger.debug(error.stack);
    core.setFailed(`${name}: ${describeFailure(error)}`);
  } finally {
    // Ended by itself, however it went: its own report stands, and the post step adds nothing.
    core.saveState(BREADCRUMB.finished, 'true');
  }
}

const TOKEN_INPUTS = ['github-token', 'railway-token'];

function withTiming(result: LifecycleResult, row: [string, string]): LifecycleResult {
  return { ...result, report: { ...result.report, rows: [...result.report.rows, row] } };
}

async function report(result: LifecycleResult): Promise<void> {
  for (const [key, value] of Object.entries(result.outputs)) core.setOutput(key, String(value));
  if (process.env.GITHUB_STEP_SUMMARY) await writeSummary(result.report);
}

async function writeSummary(report: RunReport): Promise<void> {
  core.summary.addHeading(report.title, 3);
  if (report.rows.length > 0) {
    core.summary.addTable([
      [
        { data: 'What', header: true },
        { data: 'Value', header: true },
      ],
      ...report.rows.map(([what, value]) => [escapeHtml(what), escapeHtml(value)]),
    ]);
  }
  for (const note of report.notes) core.summary.addRaw(`\n${escapeHtml(note)}\n`, true);
  await core.summary.write();
}

/** Summary cells are HTML; names and reasons may come from users. */
function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char,
  );
}

/** The runtime the Actions runner gives a step: its inputs, context, environment and log masking. */
export function runnerRuntime(action: string, logger: Logger): ActionRuntime {
  return {
    action,
    inputs: (input) => core.getInput(input),
    context: readRunContext(process.env),
    logger,
    env: process.env,
    mask: (values) => {
      for (const value of values) if (value.trim() !== '') core.setSecret(value);
    },
  };
}
