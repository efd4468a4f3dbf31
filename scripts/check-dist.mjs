// Rebuilds every bundle and fails when the committed dist/ differs from what the sources produce,
// or when a bundle carries ncc's marker for a module it could not resolve (it builds "successfully"
// and then crashes on the runner). `git status --porcelain` also sees new and deleted files, which
// `git diff` would miss.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `--root DIR --skip-build` checks another checkout's dist/ as it stands: the tests use it to prove
// that each check fails when it should, without rebuilding.
const args = process.argv.slice(2);
const rootArg = args.indexOf('--root');
const root = rootArg >= 0 ? args[rootArg + 1] : join(dirname(fileURLToPath(import.meta.url)), '..');
const fix = 'Run `npm run build` and commit dist/.';

if (!args.includes('--skip-build')) {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}

const broken = readdirSync(join(root, 'dist')).filter((name) => {
  const bundle = join(root, 'dist', name, 'index.js');
  try {
    return readFileSync(bundle, 'utf8').includes('webpackMissingModule');
  } catch {
    return false;
  }
});
if (broken.length > 0) {
  console.error(
    `check-dist: ${broken.map((name) => `dist/${name}/index.js`).join(', ')} reference a module ncc could ` +
      'not resolve (webpackMissingModule). Keep the repository ESM and the imports resolvable, then rebuild.',
  );
  process.exit(1);
}

// The CLI bundle is run as a program: it must start with its shebang and be executable.
const cli = join(root, 'dist', 'tri', 'index.js');
if (!readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n') || (statSync(cli).mode & 0o111) === 0) {
  console.error(
    'check-dist: dist/tri/index.js must start with `#!/usr/bin/env node` and be executable. ' + fix,
  );
  process.exit(1);
}

const status = execFileSync('git', ['status', '--porcelain', '--', 'dist/'], { cwd: root, encoding: 'utf8' });
if (status.trim() !== '') {
  console.error(`check-dist: dist/ does not match the sources:\n${status}\n${fix}`);
  execFileSync('git', ['--no-pager', 'diff', '--stat', '--', 'dist/'], { cwd: root, stdio: 'inherit' });
  process.exit(1);
}
console.log('check-dist: dist/ matches the sources.');
