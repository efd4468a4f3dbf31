/**
 * The project explains itself: code and docs cite the repository's own docs/ (as
 * `docs/<file>.md, '<section>'` in comments, or as Markdown links between the docs), every citation
 * names a section that exists, and nothing cites a document that is not in the repository.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/action-metadata.js';
import { LEGACY_SPEC_FILE } from './farm/fixtures.js';

/** The repository's own text files: tracked or new, not generated, vendored or installed. */
function sourceFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return listed
    .split('\n')
    .filter((path) => /\.(ts|mjs|js|md|yml)$/.test(path))
    .filter((path) => !/^(dist|vendor|node_modules)\//.test(path));
}

const read = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');

/** A document's headings, without the `#`s and backticks. */
function headings(doc: string): string[] {
  return [...read(doc).matchAll(/^#{1,6} (.+)$/gm)].map((match) => plain(match[1] ?? ''));
}

const plain = (text: string): string => text.replaceAll('`', '').trim();

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Comment text with line breaks and comment leaders folded, so a citation may wrap. */
function folded(text: string): string {
  return text.replace(/\s*\n\s*(?:\*(?!\/)|\/\/)?\s*/g, ' ');
}

interface Citation {
  file: string;
  doc: string;
  section: string;
}

function citations(): Citation[] {
  const found: Citation[] = [];
  for (const file of sourceFiles()) {
    const text = folded(read(file));
    for (const match of text.matchAll(/docs\/([a-z-]+\.md), '([^']+)'(?: and '([^']+)')?/g)) {
      const doc = `docs/${match[1] ?? ''}`;
      for (const section of [match[2], match[3]])
        // `'<section>'` is the form itself, as docs/design.md explains it.
        if (section !== undefined && !/^<.*>$/.test(section)) found.push({ file, doc, section });
    }
  }
  return found;
}

describe('citations of the docs', () => {
  it('name no document outside the repository', () => {
    const outside = sourceFiles().flatMap((file) =>
      [...folded(read(file)).matchAll(/\b(SPEC §[\d.]+|STYLE practice \d+)/g)].map(
        (match) => `${file}: ${match[1] ?? ''}`,
      ),
    );
    expect(outside).toEqual([]);
  });

  it("name sections that exist, as `docs/<file>.md, '<section>'`", () => {
    const found = citations();
    expect(found.length).toBeGreaterThan(15);
    const missing = found.filter(({ doc, section }) => {
      let sections: string[];
      try {
        sections = headings(doc);
      } catch {
        return true;
      }
      return !sections.some((heading) => heading.startsWith(plain(section)));
    });
    expect(missing).toEqual([]);
  });

  it('link between the docs to headings that exist', () => {
    const broken: string[] = [];
    let links = 0;
    for (const file of sourceFiles().filter((path) => path.endsWith('.md'))) {
      for (const match of read(file).matchAll(/(?:\]\(|\]:\s*)([a-z-]+\.md)#([a-z0-9_-]+)/g)) {
        const target = join(file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '', match[1] ?? '');
        const anchors = headings(target).map(anchor);
        links += 1;
        if (!anchors.includes(match[2] ?? '')) broken.push(`${file}: ${match[1] ?? ''}#${match[2] ?? ''}`);
      }
    }
    expect(links).toBeGreaterThan(5);
    expect(broken).toEqual([]);
  });

  it("show the legacy farm file byte for byte as the tests' fixture holds it", () => {
    const block = /\*\*Legacy[^\n]*\n[^\n]*\n\n```text\n([\s\S]*?)```/.exec(read('docs/formats.md'));
    expect(block?.[1]).toBe(LEGACY_SPEC_FILE);
  });
});
