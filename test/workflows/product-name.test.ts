/**
 * The product's GitHub name is one constant (packages/cli/src/product.ts): the generator, the committed
 * workflows and every document name it exactly that way, so giving the repository its real home is
 * one edit plus `npm run docs`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PRODUCT_MAJOR_TAG, PRODUCT_REPOSITORY } from '../../packages/cli/src/product.js';
import { repoRoot } from '../support/action-metadata.js';

const generator = (await import(pathToFileURL(join(repoRoot, 'scripts', 'generate-docs.mjs')).href)) as {
  PUBLISHED_PREFIX: string;
  PUBLISHED_REF: string;
};

const NAME = PRODUCT_REPOSITORY.split('/')[1] as string;

/** Committed text files that talk to users or to the runner; dist/ and vendor/ are generated or foreign. */
function committedDocsAndWorkflows(): string[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' }).split('\0');
  return files.filter(
    (file) =>
      /\.(md|ya?ml|mjs|ts|json)$/.test(file) &&
      !/^(dist|vendor|node_modules)\//.test(file) &&
      file !== 'package-lock.json',
  );
}

describe('the product name', () => {
  it('is the same in scripts/generate-docs.mjs as in packages/cli/src/product.ts', () => {
    expect(generator.PUBLISHED_PREFIX).toBe(`${PRODUCT_REPOSITORY}/actions/`);
    expect(generator.PUBLISHED_REF).toBe(PRODUCT_MAJOR_TAG);
  });

  it(`is written ${PRODUCT_REPOSITORY} wherever an owner precedes ${NAME}`, () => {
    const pattern = new RegExp(`[A-Za-z0-9_.-]+/${NAME}(?=[/@\\s'"\`)]|$)`, 'gm');
    const elsewhere: string[] = [];
    let seen = 0;
    for (const file of committedDocsAndWorkflows()) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      for (const match of text.matchAll(pattern)) {
        seen += 1;
        if (match[0] !== PRODUCT_REPOSITORY) elsewhere.push(`${file}: ${match[0]}`);
      }
    }
    expect(elsewhere).toEqual([]);
    expect(seen).toBeGreaterThan(10);
  });
});
