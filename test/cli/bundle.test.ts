import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findEventKey } from '@trinity/core';
import type { GitHubFixture } from '../support/github.js';
import { runProcess } from '../support/process.js';
import { REPO, TOKEN, github, listDir, readJson, workingCopy } from './helpers.js';

const BUNDLE = join(import.meta.dirname, '..', '..', 'dist', 'tri', 'index.js');

/** Runs the committed bundle as a user's shell would: its own process, the shebang's node, given stdin. */
async function tri(args: string[], options: { cwd: string; env?: Record<string, string>; stdin?: string }) {
  const {
    exitCode: code,
    stdout,
    stderr,
  } = await runProcess(BUNDLE, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? options.cwd, ...options.env },
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
  });
  return { code, stdout, stderr };
}

let gh: GitHubFixture;
beforeEach(async () => {
  gh = await github();
});
afterEach(async () => {
  await gh.emulator.close();
});

describe('dist/tri/index.js', () => {
  it('is an executable with a node shebang', () => {
    expect(readFileSync(BUNDLE, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(BUNDLE).mode & 0o111).not.toBe(0);
  });

  it('prints its help and exit codes', async () => {
    const run = await tri(['--help'], { cwd: workingCopy({ git: false }) });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: tri <command> [options]');
    expect(run.stdout).toContain('3  user error');
    const unknown = await tri(['agent', 'stpe'], { cwd: workingCopy({ git: false }) });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Did you mean `tri agent step`?');
  });

  it('links and journals a step read from stdin against GitHub, printing no token', async () => {
    const root = workingCopy();
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.emulator.url };
    const link = await tri(['agent', 'link', '7'], { cwd: root, env });
    expect(link.code).toBe(0);
    const step = await tri(['agent', 'step', '--json', '-'], {
      cwd: root,
      env,
      stdin: 'Built from the bundle\n',
    });
    expect(step.code).toBe(0);
    expect(JSON.parse(step.stdout)).toMatchObject({ issue: 7, repo: REPO, published: true });
    expect(listDir(root, '.trinity/experience')).toHaveLength(1);
    expect(readJson(root, '.trinity/current_issue.json')).toMatchObject({ steps: 1 });
    const keys = gh.emulator
      .repo(REPO)
      .comments(7)
      .map((comment) => findEventKey(comment.body));
    expect(keys.filter((key) => key !== undefined)).toHaveLength(1);
    expect(link.stdout + link.stderr + step.stdout + step.stderr).not.toContain(TOKEN);
  });
});
