// Starts the Railway emulator for manual use: `npx tsx scripts/railway-emulator.ts [--port 4001]`.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startRailwayEmulator } from '../test/emulators/railway/index.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '4001' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port ${values.port ?? ''}`);
  process.exit(2);
}

// Realtime, so that a human (or a client polling every few seconds) sees builds progress.
const emulator = await startRailwayEmulator({ progression: 'realtime', port });
const { projectId, environmentId } = emulator.addProject({ name: 'demo' });
const token = `emu_${randomBytes(16).toString('hex')}`;
emulator.addToken({ token, kind: 'account', userEmail: 'demo@example.com' });

console.log(`Railway emulator listening on ${emulator.url}`);
console.log(`  RAILWAY_API_URL=${emulator.url}`);
console.log(`  RAILWAY_TOKEN=${token}   (account token: Authorization: Bearer)`);
console.log(`  project id:     ${projectId}`);
console.log(`  environment id: ${environmentId} (production)`);
console.log('Ctrl-C to stop.');

let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  emulator.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
