// Builds every bundle: actions/<name>/main.ts → dist/<name>/index.js, found by convention so that a
// new action folder needs no edit here, plus the `tri` CLI, packages/cli/src/main.ts → dist/tri/index.js
// (an executable with a `#!/usr/bin/env node` first line). ncc runs in-process with fixed options (no
// cache, no minification, no source maps), so two builds of the same sources are byte-identical.
// Minification was measured and left off: it halves the bundles' size but not their start (the
// cost is in evaluating the modules, not in reading them; docs/PERFORMANCE.md).
//
// `node scripts/build.mjs --entry FILE --out DIR` builds one other entry with the same options into
// DIR (npm run bench builds its baseline action this way, so the comparison is like for like);
// `--minify` minifies that one build, for the bench's measurement of what minification would save;
// `--executable` gives it the CLI's shebang and mode (the packed-install test builds `tri` this way).
import ncc from '@vercel/ncc';
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const actionsDir = join(root, 'actions');
const distDir = join(root, 'dist');

const SHEBANG = '#!/usr/bin/env node\n';

/** Bundles to build: `{ name, entry, executable }`, the actions by convention, then the CLI. */
async function entries() {
  const found = [];
  for (const name of (await readdir(actionsDir)).sort()) {
    const entry = join(actionsDir, name, 'main.ts');
    if (
      await stat(entry).then(
        () => true,
        () => false,
      )
    )
      found.push({ name, entry, executable: false });
  }
  found.push({ name: 'tri', entry: join(root, 'packages', 'cli', 'src', 'main.ts'), executable: true });
  return found;
}

async function build({ name, entry, executable, outDir = join(distDir, name), minify = false }) {
  const { code: bundled, assets } = await ncc(entry, {
    cache: false,
    minify,
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    license: 'licenses.txt',
  });
  // ncc keeps an entry's shebang as the first line; make sure of it (and of only one) for the CLI.
  const code = executable ? SHEBANG + bundled.replace(/^#![^\n]*\n/, '') : bundled;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.js'), code, executable ? { mode: 0o755 } : {});
  if (executable) await chmod(join(outDir, 'index.js'), 0o755);
  for (const [file, asset] of Object.entries(assets ?? {})) {
    await mkdir(dirname(join(outDir, file)), { recursive: true });
    await writeFile(join(outDir, file), asset.source);
  }
  const size = (await readFile(join(outDir, 'index.js'))).length;
  console.log(
    `${outDir === join(distDir, name) ? `dist/${name}` : outDir}/index.js  ${(size / 1024).toFixed(0)} KiB`,
  );
}

const args = process.argv.slice(2);
const entryArg = args.indexOf('--entry');
const outArg = args.indexOf('--out');
const wanted =
  entryArg >= 0 || outArg >= 0 ? [] : args.filter((arg) => arg !== '--minify' && arg !== '--executable');
const bundles =
  entryArg >= 0 && outArg >= 0
    ? [
        {
          name: 'other entry',
          entry: resolve(args[entryArg + 1]),
          executable: args.includes('--executable'),
          outDir: resolve(args[outArg + 1]),
          minify: args.includes('--minify'),
        },
      ]
    : (await entries()).filter(({ name }) => wanted.length === 0 || wanted.includes(name));
if (bundles.length === 0) {
  console.error(`No bundle named ${wanted.join(', ')} (expected actions/<name>/main.ts, or tri).`);
  process.exit(1);
}
for (const bundle of bundles) {
  const { name } = bundle;
  try {
    await build(bundle);
  } catch (error) {
    // ncc's own stack is a minified wall of text; the message alone names the file and the TS error.
    console.error(
      `Building dist/${name}/index.js failed:\n${String(error?.message ?? error).split('\n    at ')[0]}`,
    );
    process.exit(1);
  }
}
