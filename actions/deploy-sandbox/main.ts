import { deploySandbox, destroySandbox, readDeploySettings } from '@trinity/core';
import { confirmNamedIssue, connectRailway, createLifecycleContext, runAction } from '@trinity/core/actions';

void runAction('deploy-sandbox', async (runtime) => {
  const settings = readDeploySettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  // A manual run's issue-number is checked before Railway is called (no sandbox for a typo or a pull request).
  await confirmNamedIssue(runtime, context.octokit, settings.issueNumber);
  const railway = connectRailway(runtime, settings.railway);
  // An issue closed before or during the deployment must not keep a sandbox. The deploy job has no
  // artifact upload, so logs are not archived here; the destroy job that the close triggers finds
  // the sandbox gone and has nothing left to archive either (see docs/actions.md).
  const onIssueGone = () =>
    destroySandbox({ issueNumber: settings.issueNumber, archiveDirectory: undefined }, context, railway);
  return deploySandbox(settings, context, railway, { onIssueGone });
});
