/**
 * What `tri init` writes and prints: the caller workflow (a copy of docs/workflow-example.yml, which
 * a test keeps equal) and the secret, variables and label the reusable workflow reads
 * (docs/actions.md, 'Secrets and variables'; a test checks these names against the workflow).
 */
import { PRODUCT_REPOSITORY, REUSABLE_WORKFLOW_USES } from '../product.js';

/** Where the caller goes, relative to the working-copy root. */
export const CALLER_WORKFLOW_PATH = '.github/workflows/issue-sandbox.yml';

/** The label that lets a maintainer give anyone's issue a sandbox (the workflow's default SANDBOX_LABEL). */
export const DEFAULT_SANDBOX_LABEL = 'sandbox';

export function callerWorkflow(): string {
  return [
    `# Gives every issue of this repository a Railway sandbox (${PRODUCT_REPOSITORY}, docs/actions.md).`,
    '# Written by `tri init`; `tri init` also prints the secret and variables to set.',
    'name: issue-sandbox',
    'on:',
    '  issues: { types: [opened, reopened, labeled, unlabeled, closed, deleted, transferred] }',
    '  issue_comment: { types: [created] }',
    '  workflow_dispatch:',
    '    inputs:',
    '      issue-number: { description: Issue number, required: true, type: number }',
    '      operation: { required: true, type: choice, options: [provision, deploy, destroy, journal] }',
    '      message: { description: Markdown to journal (operation journal only), type: string }',
    'permissions: { contents: write, issues: write, deployments: write }',
    'jobs:',
    '  sandbox:',
    `    uses: ${REUSABLE_WORKFLOW_USES}`,
    '    secrets: inherit',
    '',
  ].join('\n');
}

export interface Setting {
  kind: 'secret' | 'variable';
  name: string;
  /** `yes`; `account token` = needed unless the token is a project token, which names its own. */
  required: 'yes' | 'account token' | 'no';
  /** What to put in `--body` (variables only): a placeholder the user replaces. */
  value?: string;
  what: string;
}

/** Everything the reusable workflow reads from `secrets.*` and `vars.*`, in the order to set it. */
export const SETTINGS: readonly Setting[] = [
  {
    kind: 'secret',
    name: 'RAILWAY_TOKEN',
    required: 'yes',
    what: 'a Railway account, workspace or project token',
  },
  {
    kind: 'variable',
    name: 'RAILWAY_PROJECT_ID',
    required: 'account token',
    value: '<project id>',
    what: 'the Railway project the sandboxes live in',
  },
  {
    kind: 'variable',
    name: 'RAILWAY_ENVIRONMENT_ID',
    required: 'account token',
    value: '<environment id>',
    what: 'the environment within that project',
  },
  {
    kind: 'variable',
    name: 'SANDBOX_IMAGE',
    required: 'yes',
    value: '<image, e.g. ghcr.io/octo-org/app:latest>',
    what: 'the Docker image every sandbox runs',
  },
  {
    kind: 'variable',
    name: 'SANDBOX_LABEL',
    required: 'no',
    value: DEFAULT_SANDBOX_LABEL,
    what: `the label that gives anyone's issue a sandbox; default ${DEFAULT_SANDBOX_LABEL}`,
  },
  {
    kind: 'variable',
    name: 'SANDBOX_MAX',
    required: 'no',
    value: '<most live sandboxes>',
    what: 'the most sandboxes alive at once; unset: the per-account caps alone',
  },
];

/** Quotes a value for a POSIX shell only when it needs it (placeholders have spaces and angle brackets). */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** One `gh` command for a setting. A secret's value is asked for by gh, so it never lands in shell history. */
export function ghCommand(setting: Setting): string {
  if (setting.kind === 'secret') return `gh secret set ${setting.name}`;
  return `gh variable set ${setting.name} --body ${shellWord(setting.value ?? '')}`;
}

export function labelCommand(label: string = DEFAULT_SANDBOX_LABEL): string {
  return `gh label create ${shellWord(label)} --color 0E8A16 --description 'Gives this issue a Railway sandbox' --force`;
}
