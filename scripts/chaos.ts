/**
 * `npm run test:chaos -- --seed N --events N`: one seeded random run of the product against both
 * emulators (project issue 10, part 4; docs/RELIABILITY.md, "Chaos"). Prints the figures: orphans,
 * duplicates, mapping errors and what a second reconcile pass changes, all of which must be 0; a
 * failing seed also prints the event list that reproduces it. Exits 1 when any figure is not 0.
 *
 * --list prints the events the seed generates, without running them. --reconcile sweep reconciles
 * with the sweep alone instead of re-running each issue's workflow first.
 */
import { parseArgs } from 'node:util';
import {
  chaosFailed,
  formatEvent,
  formatReport,
  generateEvents,
  runChaos,
} from '../test/reliability/chaos.js';
import { startWorld } from '../test/reliability/world.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '20261204' },
    events: { type: 'string', default: '100' },
    list: { type: 'boolean', default: false },
    reconcile: { type: 'string', default: 'jobs-then-sweep' },
  },
});
const seed = Number(values.seed);
const events = Number(values.events);
const mode = values.reconcile;
if (
  !Number.isInteger(seed) ||
  !Number.isInteger(events) ||
  events < 1 ||
  (mode !== 'sweep' && mode !== 'jobs-then-sweep')
) {
  console.error(
    'Usage: npm run test:chaos -- --seed <integer> --events <positive integer> [--reconcile jobs-then-sweep|sweep] [--list]',
  );
  process.exit(2);
}
if (values.list) {
  console.log(
    generateEvents(seed, events)
      .map((e, i) => `${i + 1}. ${formatEvent(e)}`)
      .join('\n'),
  );
  process.exit(0);
}
const world = await startWorld();
try {
  const report = await runChaos(world, seed, events, mode);
  console.log(formatReport(report));
  process.exitCode = chaosFailed(report) ? 1 : 0;
} finally {
  await world.close();
}
