import { journalStep, readJournalSettings } from '@trinity/core';
import { createLifecycleContext, runAction } from '@trinity/core/actions';

void runAction('journal-step', async (runtime) => {
  const settings = readJournalSettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  return journalStep(settings, createLifecycleContext(runtime, settings.github, settings.secrets));
});
