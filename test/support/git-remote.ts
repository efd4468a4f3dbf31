import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.invalid',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.invalid',
    },
  });
}

/** A bare repository with one commit on `main` holding `files`; the stand-in for GitHub's remote. */
export function createBareRemote(files: Record<string, string>): { bare: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'trinity-git-'));
  const bare = join(root, 'remote.git');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  const seed = join(root, 'seed');
  git(root, 'init', '--quiet', '--initial-branch=main', seed);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(seed, path)), { recursive: true });
    writeFileSync(join(seed, path), content);
  }
  git(seed, 'add', '-A');
  git(seed, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', bare, 'main');
  return { bare, root };
}

/** A clone of the remote, as a runner's checkout would be (shallow, like actions/checkout). */
export function cloneRemote(bare: string, root: string, name: string): string {
  const dir = join(root, name);
  git(root, 'clone', '--quiet', '--depth=1', `file://${bare}`, dir);
  return dir;
}
