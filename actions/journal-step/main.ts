import { journalStep, readJournalSettings } from '@trinity/core';
import { runAction } from '@trinity/core/actions';

void runAction('journal-step', async ({ inputs, context, mask }) => {
  const settings = readJournalSettings(inputs, context);
  mask(settings.secrets);
  return journalStep(settings);
});
