import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/action-metadata.js';

// npm run bench builds its reference actions with `scripts/build.mjs --entry FILE --out DIR`, so
// they are bundled exactly like dist/; these check that option without rebuilding dist/.
function build(...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

function entry(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'build-script-'));
  const file = join(dir, 'entry.mjs');
  const padding = Array.from({ length: 50 }, (_, i) => `  const longVariableName${i} = ${i};`).join('\n');
  writeFileSync(file, `function total() {\n${padding}\n  return 42;\n}\nconsole.log('built ' + total());\n`);
  return { dir, file };
}

describe('scripts/build.mjs --entry FILE --out DIR', () => {
  it('bundles another entry into DIR, runnable, and leaves dist/ alone', () => {
    const { dir, file } = entry();
    const out = join(dir, 'out');
    const run = build('--entry', file, '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const bundled = spawnSync(process.execPath, [join(out, 'index.js')], { encoding: 'utf8' });
    expect(bundled.stdout).toBe('built 42\n');
    expect(existsSync(join(repoRoot, 'dist', 'other entry'))).toBe(false);
  });

  it('minifies that build only when asked', () => {
    const { dir, file } = entry();
    expect(build('--entry', file, '--out', join(dir, 'plain')).status).toBe(0);
    expect(build('--entry', file, '--out', join(dir, 'min'), '--minify').status).toBe(0);
    const plain = readFileSync(join(dir, 'plain', 'index.js'), 'utf8');
    const minified = readFileSync(join(dir, 'min', 'index.js'), 'utf8');
    expect(plain).toContain('longVariableName49');
    expect(minified).not.toContain('longVariableName49');
    const bundled = spawnSync(process.execPath, [join(dir, 'min', 'index.js')], { encoding: 'utf8' });
    expect(bundled.stdout).toBe('built 42\n');
  });

  it('still refuses an unknown bundle name', () => {
    const run = build('no-such-bundle');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('No bundle named no-such-bundle');
  });
});
