import { NotBoundError, getMapping, readCurrentIssue, readOutbox, type Mapping } from '@trinity/core';
import { type CommandSpec, FARM_READER_OPTIONS, NO_POSITIONALS } from '../command.js';
import { farmStoreOf, workingCopyRoot } from '../context.js';
import { EXIT } from '../exit-codes.js';

export function mappingSummary(mapping: Mapping) {
  const { row } = mapping;
  return {
    issue: mapping.issue,
    railway_service_id: mapping.railway_service_id,
    session_id: mapping.session_id ?? null,
    deployment_id: mapping.deployment_id ?? null,
    experience_file: mapping.experience_file ?? null,
    status: row.status ?? null,
    url: row.url ?? null,
    missing: mapping.missing,
  };
}

export const agentStatus: CommandSpec = {
  path: ['agent', 'status'],
  summary: 'Show the link, the step count, the outbox and the mapping',
  synopsis: '[--json]',
  description:
    'Reads .trinity/current_issue.json, .trinity/outbox/ and the farm file; touches no network.\n' +
    'Exits 0 also when nothing is linked (the output says so).',
  options: FARM_READER_OPTIONS,
  positionals: NO_POSITIONALS,
  examples: ['tri agent status', 'tri agent status --json | jq .outbox.count'],
  async run(invocation) {
    const { env, io } = invocation;
    const root = await workingCopyRoot(env);
    const linked = await readCurrentIssue(root);
    // Broken entries are reported, not thrown: this is the command that tells the user what is wrong.
    const { steps: queued, broken } = await readOutbox(root);
    let mapping: ReturnType<typeof mappingSummary> | null = null;
    if (linked !== undefined) {
      try {
        const store = farmStoreOf(invocation, root);
        mapping = mappingSummary(getMapping(await store.read(), linked.issue_number, store.path));
      } catch (error) {
        if (!(error instanceof NotBoundError)) throw error;
      }
    }
    const oldest = queued[0];
    const outbox = {
      count: queued.length,
      oldest:
        oldest === undefined
          ? null
          : {
              file: `.trinity/outbox/${oldest.name}`,
              issue: oldest.entry.event.issue,
              repo: oldest.entry.event.repo,
              queued_at: oldest.entry.queued_at,
              reason: oldest.entry.reason,
            },
      entries: queued.map(({ name, entry }) => ({
        file: `.trinity/outbox/${name}`,
        issue: entry.event.issue,
        repo: entry.event.repo,
        key: entry.event.key,
        type: entry.event.type,
        queued_at: entry.queued_at,
        reason: entry.reason,
      })),
      ...(broken.length === 0
        ? {}
        : {
            broken: broken.map(({ name, error }) => ({
              file: `.trinity/outbox/${name}`,
              error: error.message,
            })),
          }),
    };

    if (linked === undefined) {
      io.say('Not linked. Run `tri agent link <issue>` to journal work on an issue.');
    } else {
      io.say(`Linked:     ${linked.repo}#${linked.issue_number} since ${linked.linked_at}`);
      io.say(`Session:    ${linked.session_id}`);
      io.say(
        `Steps:      ${linked.steps}${linked.last_step_at === null ? '' : ` (last at ${linked.last_step_at})`}`,
      );
      io.say(
        mapping === null
          ? 'Sandbox:    none (the issue is not bound in the farm file)'
          : `Sandbox:    ${mapping.railway_service_id} (${mapping.status ?? 'status unrecorded'})` +
              (mapping.url === null ? '' : ` ${mapping.url}`) +
              (mapping.missing.length === 0 ? '' : `; missing ${mapping.missing.join(', ')}`),
      );
    }
    if (oldest === undefined) {
      io.say('Outbox:     empty');
    } else {
      io.say(`Outbox:     ${queued.length} queued; oldest ${oldest.entry.queued_at}: ${oldest.entry.reason}`);
      io.say('            run `tri agent sync` to publish them');
    }
    for (const { error } of broken) io.say(`Broken:     ${error.message}`);
    io.data({ linked: linked ?? null, mapping, outbox });
    return EXIT.ok;
  },
};
