import { listBindings } from '@trinity/core';
import { type CommandSpec, FARM_READER_OPTIONS, NO_POSITIONALS } from '../command.js';
import { workingCopyFarm } from '../context.js';
import { EXIT } from '../exit-codes.js';

export const sandboxList: CommandSpec = {
  path: ['sandbox', 'list'],
  summary: 'List the current issue → sandbox bindings',
  synopsis: '[--farm-path path] [--json]',
  description:
    'One line per issue with a live binding in the farm file (destroyed rows and Trinity’s hashed\n' +
    'training-run rows are left out). --json prints the rows as they are in the file.',
  options: FARM_READER_OPTIONS,
  positionals: NO_POSITIONALS,
  examples: ['tri sandbox list', 'tri sandbox list --json | jq ".[].issue"'],
  async run(invocation) {
    const { io } = invocation;
    const store = await workingCopyFarm(invocation);
    const rows = listBindings(await store.read());
    if (rows.length === 0) io.say(`No bindings in ${store.path}.`);
    for (const row of rows) {
      const parts = [`#${row.issue}`, row.service_id, row.status ?? 'status unrecorded'];
      if (row.url !== undefined) parts.push(row.url);
      if (row.repo !== undefined) parts.push(row.repo);
      io.say(parts.join('  '));
    }
    io.data(rows);
    return EXIT.ok;
  },
};
