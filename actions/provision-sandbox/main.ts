import { provisionSandbox, readProvisionSettings } from '@trinity/core';
import { runAction } from '@trinity/core/actions';

void runAction('provision-sandbox', async ({ inputs, context, mask }) => {
  const settings = readProvisionSettings(inputs, context);
  mask(settings.secrets);
  return provisionSandbox(settings);
});
