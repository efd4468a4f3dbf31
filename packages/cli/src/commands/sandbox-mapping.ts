import { describeMissing, getMapping, parseIssueReference } from '@trinity/core';
import { type CommandSpec, FARM_READER_OPTIONS } from '../command.js';
import { farmStoreOf, gitOf, workingCopyRoot } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { issueIn, resolveRepo } from '../repository.js';

export const sandboxMapping: CommandSpec = {
  path: ['sandbox', 'mapping'],
  summary: 'Print an issue’s mapping (service, session, deployment, experience file) as JSON',
  synopsis: '[--farm-path path] [--json] <issue>',
  description:
    'Reads the farm file and prints getMapping(issue): session_id, railway_service_id, deployment_id,\n' +
    'experience_file, `missing` (what a legacy Trinity row lacks) and the whole row. The output is\n' +
    'JSON with or without --json. Exits 3 when the issue is not bound.',
  options: FARM_READER_OPTIONS,
  positionals: { min: 1, max: 1, name: '<issue>' },
  examples: ['tri sandbox mapping 506', "tri sandbox mapping '#506' | jq -r .railway_service_id"],
  async run(invocation) {
    const { env, io, positionals } = invocation;
    const root = await workingCopyRoot(env);
    const store = farmStoreOf(invocation, root);
    // The farm file is this working copy's: an issue URL must name its repository.
    const reference = parseIssueReference(positionals[0]);
    if (reference.repo !== undefined) {
      issueIn(reference, await resolveRepo({ flag: undefined, env: env.env, git: gitOf(env), root }));
    }
    const mapping = getMapping(await store.read(), reference.number, store.path);
    const missing = describeMissing(mapping);
    if (missing !== undefined) io.note(missing);
    io.printJson(mapping);
    return EXIT.ok;
  },
};
