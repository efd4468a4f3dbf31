import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The core's layers (docs/design.md, 'Layout'): each folder may import only from folders below it,
 * and from the shared modules at the top of src/ (errors, events, files, issue numbers, logger,
 * GitHub's and Railway's facts, secrets).
 * `settings/` reads the action's inputs: only the layers that run an action (lifecycle and up)
 * take it; the layers below receive plain parameters.
 */
const RANK: Record<string, number> = {
  actions: 7,
  agent: 6,
  lifecycle: 5,
  commit: 4.5,
  github: 4,
  journal: 3,
  farm: 2,
  commands: 2,
  railway: 2,
  settings: 1,
  '.': 0,
};
/** Folders that must not import settings/. */
const BELOW_SETTINGS_READERS = ['commit', 'github', 'journal', 'farm', 'railway'];

const SRC = path.resolve(import.meta.dirname, '../../packages/core/src');

/** Every relative import in the core, as [importing folder, imported folder, importing file]. */
function imports(): Array<[string, string, string]> {
  const found: Array<[string, string, string]> = [];
  for (const entry of fs.readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name === 'index.ts') continue;
    const file = path.join(entry.parentPath, entry.name);
    // A folder's subfolders (railway/generated/) belong to its layer.
    const from = path.relative(SRC, entry.parentPath).split(path.sep)[0] || '.';
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      const target =
        path.relative(SRC, path.dirname(path.resolve(entry.parentPath, match[1] ?? ''))).split(path.sep)[0] ||
        '.';
      found.push([from, target, path.relative(SRC, file)]);
    }
  }
  return found;
}

describe('the core layers', () => {
  it('knows every folder of the core', () => {
    const folders = fs
      .readdirSync(SRC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.filter((folder) => RANK[folder] === undefined)).toEqual([]);
  });

  it('point only down', () => {
    const upward = imports()
      .filter(([from, to]) => from !== to && (RANK[to] ?? 99) >= (RANK[from] ?? 0))
      .map(([from, to, file]) => `${file} imports ${to}/ (${from}/ is not above it)`);
    expect(upward).toEqual([]);
  });

  it('keep settings/ out of the layers below lifecycle', () => {
    const readers = imports()
      .filter(([from, to]) => to === 'settings' && BELOW_SETTINGS_READERS.includes(from))
      .map(([, , file]) => file);
    expect(readers).toEqual([]);
  });
});
