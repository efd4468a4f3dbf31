// npm run bench: what publishing a journal event costs as the issue thread grows, measured side
// by side in one run against the GitHub emulator. The goal (constant requests per event however
// long the thread) is a figure to read here, not a timed assertion in the tests.
import { performance } from 'node:perf_hooks';
import { createGitHubClient, createPublisher, createRecordingLogger, type JournalEvent } from '@trinity/core';
import { startGitHubEmulator } from '../test/emulators/github/index.js';

const REPO = 'octo-org/bench';
const TOKEN = 'ghs_benchtoken0001';
const SIZES = [0, 100, 1_000, 5_000];
const EVENTS = 20;

interface Row {
  comments: number;
  requestsPerEvent: number;
  msPerEvent: number;
  firstEventRequests: number;
}

async function measure(size: number): Promise<Row> {
  let clock = Date.parse('2026-11-20T09:00:00Z');
  const emulator = await startGitHubEmulator({ now: () => clock });
  try {
    emulator.addToken(TOKEN);
    emulator.createRepo(REPO);
    emulator.seedIssue(REPO, { number: 1, title: 'bench', user: 'octocat', authorAssociation: 'OWNER' });
    emulator.seedComments(REPO, 1, size, (i) => `older chatter ${i}`);
    clock += 3_600_000;
    const logger = createRecordingLogger();
    const octokit = createGitHubClient({
      token: TOKEN,
      baseUrl: emulator.url,
      logger,
      writeIntervalMs: 0,
      timeBaseMs: 1,
    });
    const publisher = createPublisher({ octokit, owner: 'octo-org', repo: 'bench', logger });
    const event = (n: number): JournalEvent => ({
      type: 'step_completed',
      issue: 1,
      key: `bench-${n}`,
      at: new Date(clock).toISOString(),
      repo: REPO,
      message: `step ${n}`,
    });
    const status = { issue: 1, repo: REPO, state: 'none' as const, updatedAt: new Date(clock).toISOString() };
    const before = emulator.requests.length;
    const first = await publisher.publish({
      event: event(0),
      status,
      statusCommentId: undefined,
      secrets: [],
    });
    const firstEventRequests = emulator.requests.length - before;
    const start = performance.now();
    const counted = emulator.requests.length;
    for (let n = 1; n <= EVENTS; n++) {
      clock += 1_000;
      await publisher.publish({
        event: event(n),
        status,
        statusCommentId: first.statusCommentId,
        secrets: [],
      });
    }
    return {
      comments: size,
      requestsPerEvent: (emulator.requests.length - counted) / EVENTS,
      msPerEvent: (performance.now() - start) / EVENTS,
      firstEventRequests,
    };
  } finally {
    await emulator.close();
  }
}

const rows: Row[] = [];
for (const size of SIZES) rows.push(await measure(size));
const base = rows[0];
console.log(`Publishing a journal event (${EVENTS} events per thread size, status comment id known)\n`);
console.log(
  '| comments already in the thread | requests per event | ms per event | vs. empty thread | first event (walks the thread) |',
);
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  const ratio = base === undefined ? 1 : row.requestsPerEvent / base.requestsPerEvent;
  console.log(
    `| ${row.comments} | ${row.requestsPerEvent.toFixed(2)} | ${row.msPerEvent.toFixed(1)} | ${ratio.toFixed(2)}× requests | ${row.firstEventRequests} requests |`,
  );
}
