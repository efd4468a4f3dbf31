import { getOperationAST, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as documents from '../../packages/core/src/railway/documents.js';
import { loadRailwaySchema } from '../emulators/railway/index.js';

// Every export of documents.ts, so a document added there cannot skip this check.
const all = Object.entries(documents as Record<string, unknown>);

describe('Railway documents', () => {
  it('exports only GraphQL document strings, and a good number of them', () => {
    expect(all.length).toBeGreaterThanOrEqual(15);
    for (const [name, doc] of all) expect(typeof doc, name).toBe('string');
  });

  it.each(all)('%s validates against the vendored Railway schema', (_name, doc) => {
    const errors = validate(loadRailwaySchema(), parse(doc as string));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it.each(all)('%s is a single named operation', (_name, doc) => {
    const ast = parse(doc as string);
    expect(ast.definitions).toHaveLength(1);
    expect(getOperationAST(ast)?.name?.value).toMatch(/^[A-Z][A-Za-z0-9]+$/);
  });

  it('operation names are unique (faults and logs key on them)', () => {
    const names = all.map(([, doc]) => getOperationAST(parse(doc as string))?.name?.value);
    expect(new Set(names).size).toBe(names.length);
  });
});
