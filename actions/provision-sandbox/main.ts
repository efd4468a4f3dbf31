import { provisionSandbox, readProvisionSettings } from '@trinity/core';
import { confirmNamedIssue, connectRailway, createLifecycleContext, runAction } from '@trinity/core/actions';

void runAction('provision-sandbox', async (runtime) => {
  const settings = readProvisionSettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  // A manual run's issue-number is checked before Railway is called (no sandbox for a typo or a pull request).
  await confirmNamedIssue(runtime, context.octokit, settings.issueNumber);
  const railway = connectRailway(runtime, settings.railway);
  return provisionSandbox(settings, context, railway, runtime.context.serverUrl);
});
