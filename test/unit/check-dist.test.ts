import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/action-metadata.js';
import { git } from '../support/git-remote.js';

/** A checkout with a committed dist/ (one action bundle and the CLI), as check-dist expects. */
function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), 'check-dist-'));
  git(root, 'init', '--quiet');
  mkdirSync(join(root, 'dist', 'journal-step'), { recursive: true });
  mkdirSync(join(root, 'dist', 'tri'), { recursive: true });
  writeFileSync(join(root, 'dist', 'journal-step', 'index.js'), 'export {};\n');
  writeFileSync(join(root, 'dist', 'tri', 'index.js'), '#!/usr/bin/env node\nexport {};\n');
  chmodSync(join(root, 'dist', 'tri', 'index.js'), 0o755);
  git(root, 'add', '-A');
  git(root, 'commit', '--quiet', '-m', 'dist');
  return root;
}

function checkDist(root: string) {
  return spawnSync(
    process.execPath,
    [join(repoRoot, 'scripts', 'check-dist.mjs'), '--root', root, '--skip-build'],
    {
      encoding: 'utf8',
    },
  );
}

describe('check-dist', () => {
  it('passes when dist/ is as committed', () => {
    const run = checkDist(checkout());
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('dist/ matches the sources');
  });

  it('fails on a changed bundle and on a new file, and prints the fix', () => {
    const changed = checkout();
    writeFileSync(join(changed, 'dist', 'journal-step', 'index.js'), 'export const x = 1;\n');
    const added = checkout();
    writeFileSync(join(added, 'dist', 'journal-step', 'extra.js'), '\n');
    for (const root of [changed, added]) {
      const run = checkDist(root);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Run `npm run build` and commit dist/.');
    }
  });

  it('fails on a bundle that references a module ncc could not resolve', () => {
    const root = checkout();
    writeFileSync(join(root, 'dist', 'journal-step', 'index.js'), 'throw webpackMissingModule();\n');
    git(root, 'commit', '--quiet', '-am', 'broken bundle');
    const run = checkDist(root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('dist/journal-step/index.js reference a module ncc could not resolve');
  });
});
