import { archiveRootIn, destroySandbox, readDestroySettings, sweepSandboxes } from '@trinity/core';
import {
  connectRailway,
  createLifecycleContext,
  deploymentMirrorFor,
  runAction,
} from '@trinity/core/actions';

void runAction('destroy-sandbox', async (runtime) => {
  const settings = readDestroySettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  const railway = connectRailway(runtime, settings.railway);
  const archiveRoot = settings.archiveLogs ? archiveRootIn(runtime.env.RUNNER_TEMP ?? '.') : undefined;
  if (settings.issueNumber === undefined) {
    return sweepSandboxes(
      {
        ttlMs: settings.ttlMs,
        archiveRoot,
        serviceName: settings.serviceName,
        retainDestroyedDays: settings.retainDestroyedDays,
      },
      context,
      railway,
    );
  }
  const archiveDirectory =
    archiveRoot === undefined ? undefined : `${archiveRoot}/issue-${settings.issueNumber}`;
  const mirror = deploymentMirrorFor(runtime, context, settings.githubDeployments);
  return destroySandbox(
    {
      issueNumber: settings.issueNumber,
      archiveDirectory,
      serviceName: settings.serviceName,
      ...(mirror === undefined ? {} : { mirror }),
    },
    context,
    railway,
  );
});
