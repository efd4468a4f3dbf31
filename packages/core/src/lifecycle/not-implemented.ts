import { NotImplementedError } from '../errors.js';
import type {
  DeploySettings,
  DestroySettings,
  JournalSettings,
  ProvisionSettings,
} from '../settings/actions.js';

// The lifecycle lands in later issues (the mapping/journal issue and the Railway/actions issue).
// Until then each entry point refuses loudly after its inputs were validated, so a workflow that
// adopts the action early learns at once that nothing happened.

export async function provisionSandbox(_settings: ProvisionSettings): Promise<never> {
  throw new NotImplementedError('provision-sandbox');
}

export async function deploySandbox(_settings: DeploySettings): Promise<never> {
  throw new NotImplementedError('deploy-sandbox');
}

export async function destroySandbox(_settings: DestroySettings): Promise<never> {
  throw new NotImplementedError('destroy-sandbox');
}

export async function journalStep(_settings: JournalSettings): Promise<never> {
  throw new NotImplementedError('journal-step');
}
