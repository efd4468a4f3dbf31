import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../packages/cli/src/version.js';
import { repoRoot } from '../support/action-metadata.js';
import { describeWorkflowHygiene } from './support/hygiene.js';
import { loadWorkflow } from './support/workflow.js';

const FILE = 'release.yml';
const workflow = loadWorkflow(FILE);

interface ReleaseNotes {
  changelogSection(changelog: string, version: string): string | undefined;
  releaseNotes(root: string, tag: string): { notes?: string; problems?: string[] };
  main(argv: string[], options: { out: (text: string) => void; err: (text: string) => void }): number;
}
const script = (await import(
  pathToFileURL(join(repoRoot, 'scripts', 'release-notes.mjs')).href
)) as ReleaseNotes;

describeWorkflowHygiene(FILE, {}, { contents: 'write' });

describe(`${FILE}`, () => {
  const runs = (jobId: string) => (workflow.jobs[jobId]?.steps ?? []).map((step) => step.run ?? step.uses);

  it('runs on pushed tags v1.x.y only', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v1.*.*'] } });
  });

  it('checks the tag against package.json and CHANGELOG.md, the dist, types, lint and tests first', () => {
    const check = runs('check');
    for (const command of [
      'node scripts/release-notes.mjs "$GITHUB_REF_NAME" > /dev/null',
      'npm run check-dist',
      'npm run typecheck',
      'npm run lint',
      'npm test',
    ]) {
      expect(check).toContain(command);
    }
    const install = check.indexOf('npm ci');
    expect(install).toBeGreaterThan(-1);
    const steps = workflow.jobs.check?.steps ?? [];
    expect(steps.findIndex((step) => step.run !== undefined)).toBe(install);
  });

  it('releases and moves v1 only after the checks passed, v1 last', () => {
    expect(workflow.jobs.release?.needs).toBe('check');
    const release = runs('release').join('\n');
    expect(release.indexOf('gh release create')).toBeGreaterThan(-1);
    expect(release.indexOf('git/refs/tags/v1')).toBeGreaterThan(release.indexOf('gh release create'));
    expect(release).toContain('-f sha="$GITHUB_SHA" -F force=true');
  });

  it('never moves v1 back to an older release', () => {
    const move = String(
      workflow.jobs.release?.steps.find((step) => step.name === 'Move v1 to this release')?.run,
    );
    expect(move).toMatch(/sort -V \| tail -n 1/);
    expect(move).toMatch(/if \[ "\$newest" != "\$GITHUB_REF_NAME" \]; then[\s\S]*?exit 0/);
  });
});

describe('scripts/release-notes.mjs', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'release-notes-'));
    for (const file of ['package.json', 'CHANGELOG.md']) cpSync(join(repoRoot, file), join(root, file));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (argv: string[]) => {
    let out = '';
    let err = '';
    const code = script.main([...argv, '--root', root], {
      out: (text) => (out += text),
      err: (text) => (err += text),
    });
    return { code, out, err };
  };

  it('passes for this version: package.json, `tri --version` and the changelog agree', () => {
    const result = run([`v${VERSION}`]);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain('### Added');
    expect(result.out).not.toMatch(/^## /m);
    expect(result.out).not.toMatch(/^\[[^\]]+\]: /m);
  });

  it('refuses a tag that is not vMAJOR.MINOR.PATCH', () => {
    for (const tag of ['1.0.0', 'v1.0', 'v1.0.0-rc.1', 'v1']) {
      const result = run([tag]);
      expect(result.code, tag).toBe(1);
      expect(result.err).toContain(`"${tag}" is not a release tag: push a tag like v1.2.3`);
    }
  });

  it('names both a version package.json does not have and a missing changelog section', () => {
    const result = run(['v1.9.9']);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`package.json's version is ${VERSION}, not 1.9.9`);
    expect(result.err).toContain('CHANGELOG.md has no section "## [1.9.9]" with notes');
    expect(result.out).toBe('');
  });

  it('refuses an empty section, and takes a section up to the next one', () => {
    writeFileSync(
      join(root, 'CHANGELOG.md'),
      `# Changelog\n\n## [Unreleased]\n\n## [${VERSION}] - 2026-12-04\n\n## [0.9.0]\n\n- old\n`,
    );
    expect(run([`v${VERSION}`]).err).toContain(`no section "## [${VERSION}]" with notes`);
    expect(script.changelogSection('## [2.0.0]\n\n- new\n\n## [1.0.0]\n\n- old\n', '2.0.0')).toBe('- new');
  });
});
