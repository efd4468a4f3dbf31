import { provisionSandbox, readProvisionSettings } from '@trinity/core';
import { connectRailway, createLifecycleContext, runAction } from '@trinity/core/actions';

void runAction('provision-sandbox', async (runtime) => {
  const settings = readProvisionSettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  const railway = connectRailway(runtime, settings.railway);
  return provisionSandbox(settings, context, railway, runtime.context.serverUrl);
});
