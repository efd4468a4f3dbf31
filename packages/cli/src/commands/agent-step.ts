import { EVENT_TYPES, isEventType, recordAgentStep, type EventType } from '@trinity/core';
import { FARM_PATH_OPTION, JSON_OPTION, type CommandSpec } from '../command.js';
import { agentContext } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';

function eventOf(value: string | boolean | undefined): EventType | undefined {
  if (typeof value !== 'string') return undefined;
  if (!isEventType(value)) {
    throw new UsageError(
      `--event is "${value}", which is not a journal event type. Use one of: ${EVENT_TYPES.join(', ')}.`,
      'tri agent step',
    );
  }
  return value;
}

export const agentStep: CommandSpec = {
  path: ['agent', 'step'],
  summary: 'Journal a step: experience file + issue comment',
  synopsis: '[--event <type>] [--json] <message | ->',
  description:
    'Writes .trinity/experience/<timestamp>_<issue>.md, counts the step in .trinity/current_issue.json,\n' +
    'points the mapping’s experience_file at it when the issue is bound, and posts it to the issue.\n' +
    'Pass `-` to read the message from standard input.\n\n' +
    'Without a token, or when GitHub cannot be reached, the step is kept and queued in .trinity/outbox/;\n' +
    'the command says so on stderr and still exits 0, because the step IS recorded: a script that\n' +
    'retried on a non-zero exit would journal the same work twice. `tri agent sync` publishes the queue.\n\n' +
    `Event types: ${EVENT_TYPES.join(', ')}.`,
  options: {
    event: {
      type: 'string',
      valueName: 'type',
      description: 'The journal event type (default step_completed; the list is above).',
    },
    'farm-path': FARM_PATH_OPTION,
    json: JSON_OPTION,
  },
  positionals: { min: 1, max: 1, name: '<message | ->' },
  examples: [
    'tri agent step "Reproduced the crash with a 3-line test"',
    'tri agent step --event build_failed "tsc: 4 errors in src/cache.ts"',
    'npm test 2>&1 | tail -20 | tri agent step -',
  ],
  async run(invocation) {
    const { env, io, values, positionals } = invocation;
    const event = eventOf(values.event);
    const argument = positionals[0] ?? '';
    const message = argument === '-' ? (await env.readStdin()).replace(/\s+$/, '') : argument;
    const { context } = await agentContext(invocation);
    const outcome = await recordAgentStep(context, { message, ...(event === undefined ? {} : { event }) });
    const where = `${outcome.repo}#${outcome.issue}`;
    if (outcome.published) {
      io.say(`Journaled on ${where}: ${outcome.commentUrl ?? ''}`);
      io.say(`Experience file: ${outcome.experienceFile}`);
    } else {
      io.note(`Queued, not published: ${outcome.reason ?? 'unknown reason'}.`);
      io.note(
        `The step is recorded in ${outcome.experienceFile} and waits in ${outcome.queuedAs ?? '.trinity/outbox/'}; ` +
          'run `tri agent sync` once GitHub is reachable. (Exit 0: do not re-run this step.)',
      );
      io.say(`Recorded locally: ${outcome.experienceFile} (queued for ${where})`);
    }
    io.data({
      issue: outcome.issue,
      repo: outcome.repo,
      key: outcome.key,
      event: event ?? 'step_completed',
      experience_file: outcome.experienceFile,
      published: outcome.published,
      comment_url: outcome.commentUrl ?? null,
      queued_as: outcome.queuedAs ?? null,
      reason: outcome.reason ?? null,
    });
    return EXIT.ok;
  },
};
