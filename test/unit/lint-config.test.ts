/**
 * `npm run lint` is type-aware (docs/design.md, 'Pinned tools and why'): the promise rules are on for
 * TypeScript, and every TypeScript file is in tsconfig.json's program, since typed linting refuses a
 * file outside it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The part of ESLint's resolved configuration (typed `any`) these checks read. */
interface Resolved {
  rules: Record<string, unknown[]>;
  languageOptions: { parserOptions: { project?: unknown } };
}

describe('the lint configuration', () => {
  it('lints TypeScript with types, the promise rules as errors, and plain JavaScript without types', async () => {
    const eslint = new ESLint({ cwd: root });
    const typed = (await eslint.calculateConfigForFile('packages/core/src/index.ts')) as Resolved;
    expect(typed.languageOptions.parserOptions.project).toBe('./tsconfig.json');
    for (const rule of [
      'no-floating-promises',
      'no-misused-promises',
      'only-throw-error',
      'unbound-method',
    ]) {
      expect(typed.rules[`@typescript-eslint/${rule}`]?.[0], rule).toBe(2);
    }
    const plain = (await eslint.calculateConfigForFile('packages/cli/bin/tri.js')) as Resolved;
    expect(plain.languageOptions.parserOptions.project).toBe(false);
    expect(plain.rules['@typescript-eslint/no-floating-promises']?.[0]).toBe(0);
  });

  it('finds every committed TypeScript file in tsconfig.json', () => {
    const config: unknown = ts.readConfigFile(path.join(root, 'tsconfig.json'), (file) =>
      ts.sys.readFile(file),
    ).config;
    const program = new Set(ts.parseJsonConfigFileContent(config, ts.sys, root).fileNames);
    const committed = execFileSync('git', ['ls-files', '*.ts'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((file) => file !== '' && !file.endsWith('.d.ts') && !/^(dist|vendor)\//.test(file));
    expect(committed.filter((file) => !program.has(path.join(root, file)))).toEqual([]);
  });
});
