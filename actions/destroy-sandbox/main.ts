import { destroySandbox, readDestroySettings } from '@trinity/core';
import { runAction } from '@trinity/core/actions';

void runAction('destroy-sandbox', async ({ inputs, context, mask }) => {
  const settings = readDestroySettings(inputs, context);
  mask(settings.secrets);
  return destroySandbox(settings);
});
