import * as core from '@actions/core';
import { describeFailure } from '../errors.js';
import { claimsWorkInProgress, recordStoppedRun, stoppedRunToRecord } from '../lifecycle/stopped.js';
import type { InputSource } from '../settings/inputs.js';
import type { RunContext } from '../settings/common.js';
import {
  readCommandSettings,
  readDeploySettings,
  readDestroySettings,
  readProvisionSettings,
} from '../settings/actions.js';
import type { GitHubSettings, RailwaySettings } from '../settings/common.js';
import { createActionsLogger } from './actions-logger.js';
import { BREADCRUMB, readPublishedBreadcrumb } from './breadcrumbs.js';
import { connectRailway, createLifecycleContext } from './wiring.js';
import { runnerRuntime } from './run-action.js';

type Reader = (
  source: InputSource,
  context: RunContext,
) => { github: GitHubSettings; railway: RailwaySettings; secrets: string[]; issueNumber: number | undefined };

/** The actions with a `post:` entry, and how each reads the inputs the post step gets again. */
const READERS: Readonly<Record<string, Reader>> = {
  'provision-sandbox': readProvisionSettings,
  'deploy-sandbox': readDeploySettings,
  'destroy-sandbox': readDestroySettings,
  // A command (/sandbox redeploy, destroy, recreate) runs the same lifecycle and can be cancelled as well.
  'sandbox-command': (source, context) => readCommandSettings(source, context).deploy,
};

/**
 * The `post:` step shared by provision-, deploy- and destroy-sandbox (docs/actions.md, 'Cancelled
 * and timed-out runs'). The runner runs it after the job's steps, also when the job was cancelled
 * or timed out, with the breadcrumbs main saved. After a main that finished by itself it does
 * nothing and sends no request. After a killed main it records the stop (lifecycle/stopped.ts) when
 * the thread claims work in progress: as main last published it, or, when main published nothing,
 * as the mapping says (one read).
 * It never fails the job: the run has already ended, and a warning says what could not be recorded.
 */
export async function runPost(): Promise<void> {
  const logger = createActionsLogger();
  const action = core.getState(BREADCRUMB.action);
  if (core.getState(BREADCRUMB.finished) === 'true') {
    logger.info(`${action || 'The action'} finished by itself; its own report stands.`);
    return;
  }
  const published = readPublishedBreadcrumb(core.getState(BREADCRUMB.published));
  const read = READERS[action];
  const nothing = () =>
    logger.info(
      `${action || 'The action'} stopped before it finished, but the thread does not claim work in ` +
        'progress; nothing to correct (the next run converges).',
    );
  if (read === undefined || (published !== undefined && !claimsWorkInProgress(published))) {
    nothing();
    return;
  }
  try {
    const runtime = runnerRuntime(action, logger);
    const settings = read(runtime.inputs, runtime.context);
    runtime.mask(settings.secrets);
    const context = createLifecycleContext(runtime, settings.github, settings.secrets);
    const railway = connectRailway(runtime, settings.railway);
    const stopped = await stoppedRunToRecord(action, published, settings.issueNumber, context);
    if (stopped === undefined) {
      nothing();
      return;
    }
    const result = await recordStoppedRun(stopped, context, railway);
    logger.info(`The run stopped while ${stopped.status.state}; recorded at ${result.commentUrl}`);
  } catch (error) {
    logger.warning(`${action} post step: could not record that the run stopped: ${describeFailure(error)}`);
  }
}
