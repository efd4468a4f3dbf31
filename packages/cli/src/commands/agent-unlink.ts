import { listOutbox, unlinkIssue } from '@trinity/core';
import { JSON_OPTION, type CommandSpec, NO_POSITIONALS } from '../command.js';
import { workingCopyRoot } from '../context.js';
import { EXIT } from '../exit-codes.js';

export const agentUnlink: CommandSpec = {
  path: ['agent', 'unlink'],
  summary: 'Forget the linked issue',
  synopsis: '[--json]',
  description:
    'Removes .trinity/current_issue.json. Experience files and queued steps are kept: the outbox\n' +
    'still publishes with `tri agent sync`, because each queued step names its own issue.',
  options: { json: JSON_OPTION },
  positionals: NO_POSITIONALS,
  examples: ['tri agent unlink'],
  async run({ env, io }) {
    const root = await workingCopyRoot(env);
    const previous = await unlinkIssue({ root });
    const queued = (await listOutbox(root)).length;
    if (previous === undefined) {
      io.say('Nothing was linked; nothing changed.');
    } else {
      io.say(`Unlinked ${previous.repo}#${previous.issue_number} (${previous.steps} steps journaled).`);
    }
    if (queued > 0)
      io.note(`${queued} step(s) are still queued in .trinity/outbox/: run \`tri agent sync\`.`);
    io.data({ unlinked: previous ?? null, queued });
    return EXIT.ok;
  },
};
