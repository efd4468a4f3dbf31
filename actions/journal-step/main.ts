import { journalStep, readJournalSettings } from '@trinity/core';
import { confirmNamedIssue, createLifecycleContext, runAction } from '@trinity/core/actions';

void runAction('journal-step', async (runtime) => {
  const settings = readJournalSettings(runtime.inputs, runtime.context);
  runtime.mask(settings.secrets);
  const context = createLifecycleContext(runtime, settings.github, settings.secrets);
  await confirmNamedIssue(runtime, context.octokit, settings.issueNumber);
  return journalStep(settings, context);
});
