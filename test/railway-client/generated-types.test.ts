/**
 * The Railway client's answer types are generated from its documents and the vendored schema
 * (`npm run codegen`). A document or schema changed without regenerating leaves types that describe
 * answers Railway no longer gives: this fails until the committed file is what the generator writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateRailwayTypes, RAILWAY_TYPES } from '../../scripts/codegen/railway-types.js';
import { repoRoot } from '../support/action-metadata.js';

describe('generated Railway types', () => {
  let fresh: string;
  beforeAll(async () => {
    fresh = await generateRailwayTypes(repoRoot);
  });

  it(`${RAILWAY_TYPES} is what npm run codegen writes from documents.ts and the schema`, () => {
    const committed = readFileSync(join(repoRoot, RAILWAY_TYPES), 'utf8');
    expect(committed, 'Run `npm run codegen` and commit the result.').toBe(fresh);
  });

  it('types every field a document selects, nullability as the schema says', () => {
    const types = fresh;
    // Spot checks that would have caught the hand-written shapes drifting: a nullable field stays
    // nullable, an enum stays the schema's list, a scalar map stays a map of strings.
    expect(types).toMatch(
      /export type MeQuery = \{ me: \{ id: string; email: string; name: string \| null \} \};/,
    );
    expect(types).toContain("| 'NEEDS_APPROVAL'");
    expect(types).toContain('export type VariablesQuery = { variables: Record<string, string> };');
  });
});
