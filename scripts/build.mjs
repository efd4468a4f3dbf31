// Builds every action bundle: actions/<name>/main.ts → dist/<name>/index.js, found by convention
// so that a new action folder needs no edit here. ncc runs in-process with fixed options, and the
// output is written only when it differs, so two builds of the same sources are byte-identical.
import ncc from '@vercel/ncc';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const actionsDir = join(root, 'actions');
const distDir = join(root, 'dist');

async function entries() {
  const names = [];
  for (const name of (await readdir(actionsDir)).sort()) {
    const entry = join(actionsDir, name, 'main.ts');
    if (
      await stat(entry).then(
        () => true,
        () => false,
      )
    )
      names.push(name);
  }
  return names;
}

async function build(name) {
  const { code, assets } = await ncc(join(actionsDir, name, 'main.ts'), {
    cache: false,
    minify: false,
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    license: 'licenses.txt',
  });
  const outDir = join(distDir, name);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.js'), code);
  for (const [file, asset] of Object.entries(assets ?? {})) {
    await mkdir(dirname(join(outDir, file)), { recursive: true });
    await writeFile(join(outDir, file), asset.source);
  }
  const size = (await readFile(join(outDir, 'index.js'))).length;
  console.log(`dist/${name}/index.js  ${(size / 1024).toFixed(0)} KiB`);
}

const wanted = process.argv.slice(2);
const names = (await entries()).filter((name) => wanted.length === 0 || wanted.includes(name));
if (names.length === 0) {
  console.error('No action entries found (expected actions/<name>/main.ts).');
  process.exit(1);
}
for (const name of names) {
  try {
    await build(name);
  } catch (error) {
    // ncc's own stack is a minified wall of text; the message alone names the file and the TS error.
    console.error(
      `Building dist/${name}/index.js failed:\n${String(error?.message ?? error).split('\n    at ')[0]}`,
    );
    process.exit(1);
  }
}
