import { listOutbox, syncOutbox } from '@trinity/core';
import { type CommandSpec, FARM_READER_OPTIONS, NO_POSITIONALS } from '../command.js';
import { agentContext } from '../context.js';
import { EXIT, exitCodeOf } from '../exit-codes.js';
import { asUserError } from '../github-errors.js';

export const agentSync: CommandSpec = {
  path: ['agent', 'sync'],
  summary: 'Publish the queued steps, oldest first',
  synopsis: '[--json]',
  description:
    'Publishes .trinity/outbox/ in the order the steps were taken and removes each entry once GitHub\n' +
    'has it. A step whose comment is already in the thread (same key) is not posted again, so a sync\n' +
    'that was interrupted can simply be run again. Stops at the first failure to keep the order.\n' +
    'Exits 0 when the outbox is empty afterwards, 3 when GitHub refused the token or the issue,\n' +
    'and 1 when it could not be reached.',
  options: FARM_READER_OPTIONS,
  positionals: NO_POSITIONALS,
  examples: ['tri agent sync', 'tri agent sync --json'],
  async run(invocation) {
    const { io } = invocation;
    const { context, publisher, root } = await agentContext(invocation);
    if ((await listOutbox(root)).length === 0) {
      io.say('The outbox is empty; nothing to publish.');
      io.data({ published: [], remaining: 0, stopped_because: null });
      return EXIT.ok;
    }
    const outcome = await syncOutbox(context);
    for (const { name, commentUrl } of outcome.published) io.say(`Published ${name}: ${commentUrl}`);
    io.data({
      published: outcome.published.map(({ name, commentUrl }) => ({
        file: `.trinity/outbox/${name}`,
        comment_url: commentUrl,
      })),
      remaining: outcome.remaining,
      stopped_because: outcome.stoppedBecause ?? null,
    });
    if (outcome.remaining === 0) {
      io.say(`Published ${outcome.published.length} queued step(s); the outbox is empty.`);
      return EXIT.ok;
    }
    io.note(
      `${outcome.remaining} step(s) remain in .trinity/outbox/: ${outcome.stoppedBecause ?? 'unknown reason'}. ` +
        'Run `tri agent sync` again once that is fixed.',
    );
    if (publisher === undefined) return EXIT.user;
    return exitCodeOf(asUserError(publisher.lastFailure, 'the queued step’s issue'));
  },
};
