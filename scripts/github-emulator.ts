/**
 * Starts the GitHub REST emulator for manual use: `npx tsx scripts/github-emulator.ts [--port 4002]`.
 * Point GITHUB_API_URL (or Octokit's baseUrl) at the printed URL and use the printed token.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startGitHubEmulator } from '../test/emulators/github/index.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '4002' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`invalid --port ${values.port ?? ''}`);
  process.exit(2);
}

const emulator = await startGitHubEmulator({ port });
const token = `ghs_demo${randomBytes(12).toString('hex')}`;
emulator.addToken(token, { login: 'github-actions[bot]' });
const repo = 'octo-org/sandbox-demo';
emulator.createRepo(repo, {
  files: {
    'README.md': '# sandbox-demo\n',
    '.trinity/railway_farm.json': '{\n  "version": 1,\n  "sandboxes": {}\n}\n',
  },
});
emulator.seedIssue(repo, {
  number: 1,
  title: 'Try the sandbox',
  body: 'Demo issue',
  user: 'octocat',
  labels: ['sandbox'],
});

console.log(
  `GitHub emulator listening on ${emulator.url} (openapi-backend init ${emulator.initMs.toFixed(0)} ms)`,
);
console.log(`  repository: ${repo} (issue #1)`);
console.log(`  GITHUB_API_URL=${emulator.url}`);
console.log(`  GITHUB_TOKEN=${token}`);
console.log('Ctrl-C to stop.');

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
