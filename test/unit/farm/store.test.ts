import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../packages/core/src/errors.js';
import {
  FarmCorruptError,
  UnsupportedFarmVersionError,
  createFileFarmStore,
  emptyFarm,
  markDestroyed,
  parseFarm,
  serializeFarm,
  upsertBinding,
  type Farm,
  type FarmRow,
} from '../../../packages/core/src/farm/index.js';
import { FARM_FILE, LEGACY_SPEC_FILE } from './fixtures.js';

const NOW = new Date('2026-03-18T10:00:00.000Z');
let root: string;
let file: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'farm-store-'));
  file = path.join(root, '.trinity', 'railway_farm.json');
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function writeFarmFile(text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe('createFileFarmStore', () => {
  it('reads a missing file as an empty farm without creating anything', async () => {
    const store = createFileFarmStore({ root, path: FARM_FILE });
    expect(store.path).toBe(FARM_FILE);
    expect(await store.read()).toEqual(emptyFarm());
    expect(fs.existsSync(path.join(root, '.trinity'))).toBe(false);
  });

  it('creates .trinity/ on the first update and writes version 2', async () => {
    const store = createFileFarmStore({ root, path: FARM_FILE });
    const farm = await store.update(upsertBinding(5, { account_id: 1, service_id: 'svc-5' }, NOW));
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toBe(serializeFarm(farm));
    expect(text.startsWith('{"version":2,')).toBe(true);
    expect(await store.read()).toEqual(farm);
  });

  it('replaces the file by rename and leaves no temp file behind', async () => {
    writeFarmFile(LEGACY_SPEC_FILE);
    const inodeBefore = fs.statSync(file).ino;
    const store = createFileFarmStore({ root, path: FARM_FILE });
    await store.update(upsertBinding(506, { deployment_id: 'dep' }, NOW));
    expect(fs.statSync(file).ino).not.toBe(inodeBefore);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['railway_farm.json']);
    expect(parseFarm(fs.readFileSync(file, 'utf8'), 'f').agent_map[1]?.deployment_id).toBe('dep');
  });

  it('does not write when the mutation changes nothing', async () => {
    writeFarmFile(LEGACY_SPEC_FILE);
    const store = createFileFarmStore({ root, path: FARM_FILE });
    await store.update(markDestroyed(999, NOW));
    expect(fs.readFileSync(file, 'utf8')).toBe(LEGACY_SPEC_FILE); // still the legacy text, no version key
  });

  it.each([
    ['invalid JSON', '{"accounts":[],"agent_map":[\n<<<<<<< HEAD\n', FarmCorruptError],
    ['a wrong shape', '{"accounts":[],"agent_map":[{"issue":"x"}]}', FarmCorruptError],
    ['an empty file', '', FarmCorruptError],
    ['version 3', '{"version":3,"accounts":[],"agent_map":[]}', UnsupportedFarmVersionError],
  ])('never overwrites %s: the bytes on disk stay as they were', async (_what, text, kind) => {
    writeFarmFile(text);
    const before = fs.readFileSync(file);
    const store = createFileFarmStore({ root, path: FARM_FILE });
    await expect(
      store.update(upsertBinding(5, { account_id: 1, service_id: 's' }, NOW)),
    ).rejects.toBeInstanceOf(kind);
    await expect(store.read()).rejects.toBeInstanceOf(kind);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['railway_farm.json']);
  });

  it('never writes a farm it could not read back', async () => {
    writeFarmFile(LEGACY_SPEC_FILE);
    const store = createFileFarmStore({ root, path: FARM_FILE });
    const broken = (farm: Farm): Farm => ({
      ...farm,
      agent_map: [...farm.agent_map, { issue: 9, account_id: 1, service_id: 42 } as unknown as FarmRow],
    });
    await expect(store.update(broken)).rejects.toBeInstanceOf(FarmCorruptError);
    expect(fs.readFileSync(file, 'utf8')).toBe(LEGACY_SPEC_FILE);
  });

  it("runs one process's updates one after another so none is lost", async () => {
    const store = createFileFarmStore({ root, path: FARM_FILE });
    await Promise.all(
      [1, 2, 3, 4, 5].map((issue) =>
        store.update(upsertBinding(issue, { account_id: 1, service_id: `s${issue}` }, NOW)),
      ),
    );
    expect((await store.read()).agent_map.map((r) => r.issue).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps working after a failed update', async () => {
    const store = createFileFarmStore({ root, path: FARM_FILE });
    await expect(
      store.update(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await store.update(upsertBinding(1, { account_id: 1, service_id: 's' }, NOW));
    expect((await store.read()).agent_map).toHaveLength(1);
  });

  it('accepts a custom path inside the repository', async () => {
    const store = createFileFarmStore({ root, path: 'ops/../config/farm.json' });
    await store.update(upsertBinding(1, { account_id: 1, service_id: 's' }, NOW));
    expect(fs.existsSync(path.join(root, 'config', 'farm.json'))).toBe(true);
  });

  it.each(['../farm.json', '.trinity/../../farm.json', path.join(os.tmpdir(), 'farm.json'), '.', ''])(
    'refuses the path %j, which is not a file inside the repository',
    (farmPath) => {
      expect(() => createFileFarmStore({ root, path: farmPath })).toThrow(UserError);
      expect(() => createFileFarmStore({ root, path: farmPath })).toThrow(
        /does not name a file inside the repository/,
      );
    },
  );
});
