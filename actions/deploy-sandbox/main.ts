import { deploySandbox, destroySandbox, readDeploySettings } from '@trinity/core';
import {
  connectRailway,
  createLifecycleContext,
  deploymentMirrorFor,
  runAction,
} from '@trinity/core/actions';

void runAction('deploy-sandbox', async (runtime) => {
  const settings = readDeploySettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  const railway = connectRailway(runtime, settings.railway);
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
      railway,
    );
  return deploySandbox(settings, context, railway, {
    onIssueGone,
    ...(mirror === undefined ? {} : { mirror }),
  });
});
