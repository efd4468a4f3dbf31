import { archiveRootIn, deploySandbox, destroySandbox, readDeploySettings } from '@trinity/core';
import { connectRailway, createLifecycleContext, runAction } from '@trinity/core/actions';

void runAction('deploy-sandbox', async (runtime) => {
  const settings = readDeploySettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  const railway = connectRailway(runtime, settings.railway);
  // An issue closed before or during the deployment must not keep a sandbox.
  const onIssueGone = () =>
    destroySandbox(
      {
        issueNumber: settings.issueNumber,
        archiveDirectory: archiveRootIn(runtime.env.RUNNER_TEMP ?? '.') + `/issue-${settings.issueNumber}`,
      },
      context,
      railway,
    );
  return deploySandbox(settings, context, railway, { onIssueGone });
});
