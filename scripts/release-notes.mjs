// The release's checks and notes (.github/workflows/release.yml; docs/actions.md, 'Versions'):
//
//   node scripts/release-notes.mjs v1.2.3   exit 1 naming what is wrong unless the tag is vMAJOR.MINOR.PATCH,
//                                           package.json's version is MAJOR.MINOR.PATCH and CHANGELOG.md
//                                           has a `## [MAJOR.MINOR.PATCH]` section; else print that
//                                           section's body, the release notes.
//
// `--root DIR` reads another checkout (the tests use it).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TAG = /^v(\d+)\.(\d+)\.(\d+)$/;

/** The body of `## [version]` in a Keep a Changelog text, trimmed; undefined when there is none. */
export function changelogSection(changelog, version) {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
  if (start < 0) return undefined;
  const next = lines.findIndex((line, index) => index > start && /^## \[/.test(line));
  const body = lines.slice(start + 1, next < 0 ? undefined : next);
  // The link definitions at the end of the file belong to no section.
  const text = body.filter((line) => !/^\[[^\]]+\]: /.test(line)).join('\n');
  return text.trim();
}

/** `{ notes }` for a releasable tag, or `{ problems }` saying what to fix. */
export function releaseNotes(root, tag) {
  const match = TAG.exec(tag ?? '');
  if (!match) {
    return {
      problems: [`"${tag ?? ''}" is not a release tag: push a tag like v1.2.3 (vMAJOR.MINOR.PATCH).`],
    };
  }
  const version = tag.slice(1);
  const problems = [];
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  if (manifest.version !== version) {
    problems.push(
      `package.json's version is ${manifest.version}, not ${version}: set it (and packages/cli's, which ` +
        '`tri --version` prints), commit, then tag that commit.',
    );
  }
  const notes = changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), version);
  if (notes === undefined || notes === '') {
    problems.push(
      `CHANGELOG.md has no section "## [${version}]" with notes: move the Unreleased entries under it, commit, then tag.`,
    );
  }
  return problems.length > 0 ? { problems } : { notes };
}

export function main(argv, { out = (text) => process.stdout.write(text), err = console.error } = {}) {
  const rootArg = argv.indexOf('--root');
  const root =
    rootArg >= 0 ? resolve(argv[rootArg + 1]) : join(dirname(fileURLToPath(import.meta.url)), '..');
  const skipped = rootArg >= 0 ? [rootArg, rootArg + 1] : [];
  const tag = argv.find((arg, index) => !skipped.includes(index) && !arg.startsWith('--'));
  const { notes, problems } = releaseNotes(root, tag);
  if (problems) {
    err(
      `release-notes: ${tag ?? '(no tag)'} cannot be released:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    return 1;
  }
  out(`${notes}\n`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
