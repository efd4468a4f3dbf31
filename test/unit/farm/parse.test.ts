import { describe, expect, it } from 'vitest';
import {
  FarmCorruptError,
  UnsupportedFarmVersionError,
  parseFarm,
  serializeFarm,
} from '../../../packages/core/src/farm/index.js';
import { UserError } from '../../../packages/core/src/errors.js';
import { scanJson } from '../../../packages/core/src/farm/json-text.js';
import { LEGACY_SPEC_FILE, LEGACY_WITH_DUPLICATES, V2_WITH_UNKNOWN_KEYS } from './fixtures.js';

const PATH = '.trinity/railway_farm.json';

function corruptError(text: string): FarmCorruptError {
  try {
    parseFarm(text, PATH);
  } catch (error) {
    expect(error).toBeInstanceOf(FarmCorruptError);
    expect(error).toBeInstanceOf(UserError);
    return error as FarmCorruptError;
  }
  throw new Error('expected parseFarm to refuse the text');
}

describe('legacy round trip', () => {
  it('keeps every account and row of the legacy Trinity file and writes version 2', () => {
    const farm = parseFarm(LEGACY_SPEC_FILE, PATH);
    const written = serializeFarm(farm);
    expect(written).toContain('"version":2');
    const again = parseFarm(written, PATH);
    expect(again).toEqual(farm);
    expect(again.accounts).toEqual([
      {
        account_id: 1,
        alias: 'primary',
        daily_creates: 12,
        active_services: 26,
        daily_reset_epoch: 1773792000,
      },
      {
        account_id: 2,
        alias: 'farm-2',
        daily_creates: 17,
        active_services: 25,
        daily_reset_epoch: 1773792000,
      },
    ]);
    expect(again.agent_map).toEqual([
      { issue: 2026198461, account_id: 2, service_id: 'e01e6005-f85d-40e3-8afa-2ccf001bbc7f' },
      { issue: 506, account_id: 1, service_id: '5c3f29ff-b38b-47fd-8471-f1209ebda5e4' },
    ]);
    // The legacy layout survives: only the version key is added.
    expect(written).toBe(LEGACY_SPEC_FILE.replace('{"accounts"', '{"version":2,"accounts"'));
  });

  it('keeps duplicate rows, in order, exactly as they are', () => {
    const farm = parseFarm(LEGACY_WITH_DUPLICATES, PATH);
    const again = parseFarm(serializeFarm(farm), PATH);
    expect(again.agent_map.map((r) => [r.issue, r.service_id])).toEqual([
      [2026198461, 'e01e6005-f85d-40e3-8afa-2ccf001bbc7f'],
      [506, '5c3f29ff-b38b-47fd-8471-f1209ebda5e4'],
      [506, 'aaaaaaaa-0000-4000-8000-000000000506'],
      [506, 'aaaaaaaa-0000-4000-8000-000000000506'],
    ]);
    expect(serializeFarm(again)).toBe(serializeFarm(farm));
  });
});

describe('version 2 round trip', () => {
  it('preserves unknown keys at the top level, in accounts and in rows', () => {
    const farm = parseFarm(V2_WITH_UNKNOWN_KEYS, PATH);
    const again = parseFarm(serializeFarm(farm), PATH);
    expect(again).toEqual(JSON.parse(V2_WITH_UNKNOWN_KEYS));
    expect(again['comment']).toBe('hand-edited');
    expect(again['owner']).toEqual({ team: 'infra' });
    expect(again.accounts[0]?.['note']).toBe('team card');
    expect(again.agent_map[0]?.['custom_tag']).toEqual({ nested: [1, 2] });
  });

  it('keeps a "__proto__" key as a plain key without touching any prototype', () => {
    const text =
      '{"version":2,"accounts":[],"agent_map":[{"issue":1,"account_id":1,"service_id":"s","__proto__":{"x":1}}]}';
    const farm = parseFarm(text, PATH);
    const row = farm.agent_map[0];
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.hasOwn(row ?? {}, '__proto__')).toBe(true);
    expect(serializeFarm(farm)).toContain('"__proto__":{"x":1}');
  });

  it('accepts a byte-order mark and fills counters a hand-written account leaves out', () => {
    const farm = parseFarm('\uFEFF{"version":2,"accounts":[{"account_id":3}],"agent_map":[]}', PATH);
    expect(farm.accounts).toEqual([
      { account_id: 3, daily_creates: 0, active_services: 0, daily_reset_epoch: 0 },
    ]);
  });
});

describe('refusals', () => {
  it('refuses invalid JSON with the line and column of the mistake', () => {
    const text =
      '{"accounts":[],"agent_map":[\n  {"issue":506,"account_id":1,"service_id":"x"},\n  {"issue":7,}\n]}';
    const error = corruptError(text);
    expect([error.line, error.column]).toEqual([3, 14]);
    expect(error.message).toBe(
      'The farm file .trinity/railway_farm.json is corrupt at line 3, column 14: not valid JSON: ' +
        'expected a quoted property name but found "}". Fix it by hand or restore it from git history ' +
        '(git log -p -- .trinity/railway_farm.json); nothing was written.',
    );
  });

  it('points at a merge conflict marker', () => {
    const error = corruptError('{"accounts":[],"agent_map":[\n<<<<<<< HEAD\n]}');
    expect([error.line, error.column]).toEqual([2, 1]);
    expect(error.message).toContain('expected a value but found "<"');
  });

  it('says when the file ends too early', () => {
    const error = corruptError('{"accounts":[],"agent_map":[\n  {"issue":1');
    expect([error.line, error.column]).toEqual([2, 13]);
    expect(error.message).toContain('the end of the file');
  });

  it.each([
    ['{"a":1', 6],
    ['{"a" 1}', 5],
    ['{"a":1}x', 7],
    ['"abc', 4],
    ['{"a":"x\ny"}', 7],
    ['{,}', 1],
    ['{"a":}', 5],
    ['[1,]', 3],
    ['{"a":tru}', 8],
  ])('finds the same position as JSON.parse reports in %j', (text, position) => {
    expect((): unknown => JSON.parse(text)).toThrow();
    expect(scanJson(text)?.offset).toBe(position);
  });

  it('agrees with JSON.parse on valid text', () => {
    expect(scanJson(LEGACY_WITH_DUPLICATES)).toBeUndefined();
    expect(scanJson(V2_WITH_UNKNOWN_KEYS)).toBeUndefined();
    expect(
      scanJson('{"s":"\\u00e9\\n\\"","n":-1.5e+3,"t":true,"f":false,"z":null,"a":[[],{}]}'),
    ).toBeUndefined();
  });

  it.each(['', '   \n\t'])('refuses empty text %j', (text) => {
    const error = corruptError(text);
    expect(error.message).toContain('is corrupt at line 1, column 1: the file is empty.');
  });

  it('names the JSON path and the row position of a wrong field', () => {
    const text = LEGACY_WITH_DUPLICATES.replace(
      '"service_id":"aaaaaaaa-0000-4000-8000-000000000506"}\n]',
      '"service_id":42}\n]',
    );
    const error = corruptError(text);
    expect(error.jsonPath).toBe('agent_map[3].service_id');
    expect([error.line, error.column]).toEqual([8, 44]);
    expect(error.message).toContain(
      'at line 8, column 44, at agent_map[3].service_id: "service_id" must be a string, found number 42.',
    );
    expect(error.message).toContain('git log -p -- .trinity/railway_farm.json');
  });

  it('points at the row when a required key is missing', () => {
    const error = corruptError('{"accounts":[],"agent_map":[\n  {"issue":5,"account_id":1}\n]}');
    expect(error.jsonPath).toBe('agent_map[0].service_id');
    expect([error.line, error.column]).toEqual([2, 3]);
    expect(error.problem).toBe('"service_id" must be a string, it is missing');
  });

  it.each([
    ['{"issue":0,"account_id":1,"service_id":"s"}', 'agent_map[0].issue', 'found number 0'],
    ['{"issue":-3,"account_id":1,"service_id":"s"}', 'agent_map[0].issue', 'found number -3'],
    ['{"issue":1.5,"account_id":1,"service_id":"s"}', 'agent_map[0].issue', 'found number 1.5'],
    ['{"issue":"506","account_id":1,"service_id":"s"}', 'agent_map[0].issue', 'found string "506"'],
    ['{"issue":1,"account_id":null,"service_id":"s"}', 'agent_map[0].account_id', 'found null'],
    [
      '{"issue":1,"account_id":1,"service_id":"s","status":"gone"}',
      'agent_map[0].status',
      'found string "gone"',
    ],
    ['{"issue":1,"account_id":1,"service_id":"s","url":7}', 'agent_map[0].url', 'found number 7'],
    [
      '{"issue":1,"account_id":1,"service_id":"s","status_comment_id":"9"}',
      'agent_map[0].status_comment_id',
      'found string "9"',
    ],
    ['[1]', 'agent_map[0]', 'a row must be an object, found an array'],
  ])('refuses the row %s', (row, jsonPath, found) => {
    const error = corruptError(`{"accounts":[],"agent_map":[${row}]}`);
    expect(error.jsonPath).toBe(jsonPath);
    expect(error.message).toContain(found);
  });

  it.each([
    ['[]', '(the top level)', 'the file must hold a JSON object, found an array'],
    ['{"accounts":[]}', 'agent_map', '"agent_map" must be an array, it is missing'],
    ['{"accounts":{},"agent_map":[]}', 'accounts', '"accounts" must be an array, found an object'],
    [
      '{"accounts":[{"alias":"x"}],"agent_map":[]}',
      'accounts[0].account_id',
      'must be a positive whole number',
    ],
    [
      '{"accounts":[{"account_id":1,"active_services":-1}],"agent_map":[]}',
      'accounts[0].active_services',
      'whole number ≥ 0',
    ],
    [
      '{"accounts":[{"account_id":1},{"account_id":1}],"agent_map":[]}',
      'accounts[1].account_id',
      'appears twice',
    ],
  ])('refuses the shape %s', (text, jsonPath, problem) => {
    const error = corruptError(text);
    expect(error.jsonPath).toBe(jsonPath);
    expect(error.problem).toContain(problem);
  });

  it('refuses a version other than 2, saying what to do', () => {
    const error = corruptError('{"version":3,"accounts":[],"agent_map":[]}');
    expect(error).toBeInstanceOf(UnsupportedFarmVersionError);
    expect(error.message).toBe(
      'The farm file .trinity/railway_farm.json has "version": 3 (line 1, column 12), but these ' +
        'issue-sandbox actions read only version 2 and the unversioned Trinity format. Use a release of ' +
        'the actions that reads this version, or restore a version-2 file from git history ' +
        '(git log -p -- .trinity/railway_farm.json); nothing was written.',
    );
    expect(() => parseFarm('{"version":"2","accounts":[],"agent_map":[]}', PATH)).toThrow(
      UnsupportedFarmVersionError,
    );
  });

  it('keeps pseudo-issue rows at and above 2^30', () => {
    const farm = parseFarm(
      `{"accounts":[],"agent_map":[{"issue":${2 ** 30},"account_id":1,"service_id":"run"}]}`,
      PATH,
    );
    expect(farm.agent_map[0]?.issue).toBe(2 ** 30);
  });
});
