import { readCommandComment } from '../commands/payload.js';
import { ignoredCommand, runSandboxCommand } from '../lifecycle/command.js';
import type { LifecycleResult } from '../lifecycle/result.js';
import { deploySandbox } from '../lifecycle/deploy.js';
import { archiveRootIn, destroySandbox } from '../lifecycle/destroy.js';
import { journalStep } from '../lifecycle/journal-step.js';
import { provisionSandbox } from '../lifecycle/provision.js';
import { sweepSandboxes } from '../lifecycle/sweep.js';
import {
  readCommandSettings,
  readDeploySettings,
  readDestroySettings,
  readJournalSettings,
  readProvisionSettings,
} from '../settings/actions.js';
import { confirmNamedIssue } from './issue-target.js';
import type { ActionRuntime } from './run-action.js';
import { deploymentMirrorFor } from './deployment-mirror.js';
import { connectRailway, createLifecycleContext } from './wiring.js';

/*
 * What each action does with its runtime: the entry files (actions/<name>/main.ts) hand these to
 * runAction, and the reliability tests run them in-process against the emulators, so both run
 * exactly this code. Inputs are read and checked before any client exists: a refused input makes
 * no call to GitHub or Railway.
 */

export async function provisionAction(runtime: ActionRuntime): Promise<LifecycleResult> {
  const settings = readProvisionSettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  // A manual run's issue-number is checked before Railway is called (no sandbox for a typo or a pull request).
  await confirmNamedIssue(runtime, context.octokit, settings.issueNumber);
  const accounts = connectRailway(runtime, settings.railway);
  return provisionSandbox(settings, context, accounts, runtime.context.serverUrl);
}

export async function deployAction(runtime: ActionRuntime): Promise<LifecycleResult> {
  const settings = readDeploySettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  await confirmNamedIssue(runtime, context.octokit, settings.issueNumber);
  const accounts = connectRailway(runtime, settings.railway);
  const mirror = deploymentMirrorFor(runtime, context, settings.githubDeployments);
  // An issue closed before or during the deployment must not keep a sandbox. The deploy job has no
  // artifact upload, so logs are not archived here; the destroy job that the close triggers finds
  // the sandbox gone and has nothing left to archive either (see docs/actions.md).
  const onIssueGone = () =>
    destroySandbox(
      {
        issueNumber: settings.issueNumber,
        archiveDirectory: undefined,
        serviceName: settings.serviceName,
        ...(mirror === undefined ? {} : { mirror }),
      },
      context,
      accounts,
    );
  return deploySandbox(settings, context, accounts, {
    onIssueGone,
    ...(mirror === undefined ? {} : { mirror }),
  });
}

export async function destroyAction(runtime: ActionRuntime): Promise<LifecycleResult> {
  const settings = readDestroySettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  const accounts = connectRailway(runtime, settings.railway);
  const archiveRoot = settings.archiveLogs ? archiveRootIn(runtime.env.RUNNER_TEMP ?? '.') : undefined;
  const mirror = deploymentMirrorFor(runtime, context, settings.githubDeployments);
  if (settings.issueNumber === undefined) {
    return sweepSandboxes(
      {
        ttlMs: settings.ttlMs,
        archiveRoot,
        serviceName: settings.serviceName,
        retainDestroyedDays: settings.retainDestroyedDays,
        ...(mirror === undefined ? {} : { mirror }),
      },
      context,
      accounts,
    );
  }
  const archiveDirectory =
    archiveRoot === undefined ? undefined : `${archiveRoot}/issue-${settings.issueNumber}`;
  return destroySandbox(
    {
      issueNumber: settings.issueNumber,
      archiveDirectory,
      serviceName: settings.serviceName,
      ...(mirror === undefined ? {} : { mirror }),
    },
    context,
    accounts,
  );
}

export async function journalAction(runtime: ActionRuntime): Promise<LifecycleResult> {
  const settings = readJournalSettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  await confirmNamedIssue(runtime, context.octokit, settings.issueNumber);
  return journalStep(settings, context);
}

export async function commandAction(runtime: ActionRuntime): Promise<LifecycleResult> {
  // The comment first: an edited comment or one without a command ends the run before any input
  // is read or any request is sent.
  const comment = readCommandComment(runtime.context.eventName, runtime.context.payload);
  const ignored = ignoredCommand(comment);
  if (ignored !== undefined) return ignored;
  const settings = readCommandSettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  const accounts = connectRailway(runtime, settings.deploy.railway);
  const mirror = deploymentMirrorFor(runtime, context, settings.githubDeployments);
  return runSandboxCommand(
    { comment, settings, serverUrl: runtime.context.serverUrl, ...(mirror === undefined ? {} : { mirror }) },
    context,
    accounts,
  );
}
