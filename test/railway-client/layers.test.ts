/**
 * The Railway client is a bottom layer (actions → glue → lifecycle → commit/github → journal →
 * farm/railway → settings, with no settings/ import below lifecycle/): it imports only its own
 * modules and the shared leaves beside errors.ts. What it needs from the settings arrives as plain
 * options, and settings/ takes the Railway inputs' values from railway/inputs.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/action-metadata.js';

const SRC = join(repoRoot, 'packages/core/src');
const RAILWAY = join(SRC, 'railway');
/** The leaves every layer may use. */
const SHARED = ['errors.ts', 'logger.ts', 'secrets.ts'].map((file) => join(SRC, file));

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s+'(\.[^']+)'/g)].map((match) =>
    resolve(join(file, '..'), (match[1] ?? '').replace(/\.js$/, '.ts')),
  );
}

describe('railway/ only points down', () => {
  it('imports nothing but its own modules, errors.ts, logger.ts and secrets.ts', () => {
    const outside = modules(RAILWAY).flatMap((file) =>
      relativeImports(file)
        .filter((target) => !target.startsWith(RAILWAY + '/') && !SHARED.includes(target))
        .map((target) => `${relative(SRC, file)} → ${relative(SRC, target)}`),
    );
    expect(outside).toEqual([]);
  });
});
