import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '@trinity/core';
import { type CommandSpec, NO_POSITIONALS } from '../command.js';
import { workingCopyRoot } from '../context.js';
import { EXIT } from '../exit-codes.js';
import {
  CALLER_WORKFLOW_PATH,
  SETTINGS,
  type Setting,
  callerWorkflow,
  ghCommand,
  labelCommand,
} from '../init/caller-workflow.js';

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** `  gh … set NAME …   # what it is`, the comments aligned across every setting. */
function commandLines(settings: readonly Setting[]): string[] {
  const width = Math.max(...SETTINGS.map((setting) => ghCommand(setting).length)) + 2;
  return settings.map((setting) => `  ${ghCommand(setting).padEnd(width)}# ${setting.what}`);
}

/** What to run next, as gh commands in the repository's working copy (docs/actions.md, 'Secrets and variables'). */
export function nextSteps(): string[] {
  const needed = SETTINGS.filter((setting) => setting.required === 'yes');
  const withAccountToken = SETTINGS.filter((setting) => setting.required === 'account token');
  const optional = SETTINGS.filter((setting) => setting.required === 'no');
  return [
    'Set the secret and the variables the workflow reads (gh asks for the secret, so it is never echoed):',
    ...commandLines(needed),
    'With an account or workspace token (a project token names its own project and environment):',
    ...commandLines(withAccountToken),
    'Optional:',
    ...commandLines(optional),
    `  ${labelCommand()}`,
    `Then commit and push ${CALLER_WORKFLOW_PATH}, and open an issue.`,
  ];
}

export const init: CommandSpec = {
  path: ['init'],
  summary: 'Write the issue-sandbox workflow into this repository and print what to set',
  synopsis: '[--dry-run] [--force]',
  description:
    `Writes ${CALLER_WORKFLOW_PATH} in the working-copy root: a dozen lines that call the\n` +
    'reusable workflow for every issue event, /sandbox comment and manual run. Then prints the gh\n' +
    'commands that set the Railway secret and the variables it reads. An existing, different file is\n' +
    'left alone unless you pass --force; an identical one is left as it is.',
  options: {
    'dry-run': { type: 'boolean', description: 'Print the workflow instead of writing it.' },
    force: { type: 'boolean', description: `Replace an existing, different ${CALLER_WORKFLOW_PATH}.` },
  },
  positionals: NO_POSITIONALS,
  examples: ['tri init', 'tri init --dry-run', 'tri init --force'],
  async run({ env, io, values }) {
    const workflow = callerWorkflow();
    if (values['dry-run'] === true) {
      io.say(workflow.trimEnd());
      for (const line of nextSteps()) io.note(line);
      return EXIT.ok;
    }
    const root = await workingCopyRoot(env);
    const target = join(root, CALLER_WORKFLOW_PATH);
    const existing = await readIfExists(target);
    if (existing === workflow) {
      io.say(`${CALLER_WORKFLOW_PATH} is already the workflow tri init writes; nothing changed.`);
    } else if (existing !== undefined && values.force !== true) {
      throw new UserError(
        `${CALLER_WORKFLOW_PATH} already exists and differs from the workflow tri init writes; nothing was ` +
          'overwritten. See the difference with `tri init --dry-run`, then replace it with `tri init --force` ' +
          'or edit it by hand.',
      );
    } else {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, workflow);
      io.say(`${existing === undefined ? 'Wrote' : 'Replaced'} ${CALLER_WORKFLOW_PATH}.`);
    }
    for (const line of nextSteps()) io.say(line);
    return EXIT.ok;
  },
};
