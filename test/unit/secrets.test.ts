/**
 * One redactor: the Railway client, the journal and the lifecycle mask known secrets with
 * packages/core/src/secrets.ts, with one mask and one minimum length. A second copy would drift
 * (it did: `***` in Railway errors, `[REDACTED]` in comments), so no other source module may define
 * either, or compare a value's length with a literal minimum of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MIN_SECRET_LENGTH,
  REDACTED,
  isSecretLength,
  redactKnownSecrets,
} from '../../packages/core/src/secrets.js';
import { repoRoot } from '../support/action-metadata.js';

const SRC = join(repoRoot, 'packages');

function sourceModules(): string[] {
  return readdirSync(SRC, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.parentPath.includes('node_modules'),
    )
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.endsWith(join('core', 'src', 'secrets.ts')));
}

describe('one redactor', () => {
  it('masks with [REDACTED] and ignores values shorter than MIN_SECRET_LENGTH', () => {
    expect(REDACTED).toBe('[REDACTED]');
    const short = 'x'.repeat(MIN_SECRET_LENGTH - 1);
    const long = 'y'.repeat(MIN_SECRET_LENGTH);
    expect(isSecretLength(short)).toBe(false);
    expect(isSecretLength(long)).toBe(true);
    expect(redactKnownSecrets(`${short} ${long}`, [short, long])).toBe(`${short} [REDACTED]`);
  });

  it('is the only module that defines a mask or a minimum secret length', () => {
    const offenders = sourceModules().flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const found: string[] = [];
      if (/MIN_SECRET_LENGTH\s*=/.test(text)) found.push('defines MIN_SECRET_LENGTH');
      if (/'\*\*\*'|'\[REDACTED\]'/.test(text)) found.push('defines a mask');
      if (/\.length\s*(?:>=\s*4|<\s*4)\b/.test(text)) found.push('compares a length with a literal 4');
      return found.map((what) => `${relative(repoRoot, file)} ${what}`);
    });
    expect(offenders).toEqual([]);
  });
});
