import { deploySandbox, readDeploySettings } from '@trinity/core';
import { runAction } from '@trinity/core/actions';

void runAction('deploy-sandbox', async ({ inputs, context, mask }) => {
  const settings = readDeploySettings(inputs, context);
  mask(settings.secrets);
  return deploySandbox(settings);
});
