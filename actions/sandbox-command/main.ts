import { readCommandComment, readCommandSettings, runSandboxCommand } from '@trinity/core';
import {
  connectRailway,
  createLifecycleContext,
  deploymentMirrorFor,
  runAction,
} from '@trinity/core/actions';

void runAction('sandbox-command', async (runtime) => {
  // The comment first: an edited comment or one without a command ends the run before any input
  // is read or any request is sent.
  const comment = readCommandComment(runtime.context.eventName, runtime.context.payload);
  const settings = readCommandSettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  const railway = connectRailway(runtime, settings.deploy.railway);
  const mirror = deploymentMirrorFor(runtime, context, settings.githubDeployments);
  return runSandboxCommand(
    { comment, settings, serverUrl: runtime.context.serverUrl, ...(mirror === undefined ? {} : { mirror }) },
    context,
    railway,
  );
});
