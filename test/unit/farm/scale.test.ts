/**
 * The mapping file works at 50,000 rows: parse, getMapping, one update and serialize each touch
 * every row a bounded number of times (linear, never quadratic), counted by a proxy over the rows
 * rather than timed; timing is `npm run bench`'s job.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  NotBoundError,
  dropExpiredRows,
  getMapping,
  parseFarm,
  serializeFarm,
  upsertBinding,
  type Farm,
  type FarmRow,
} from '../../../packages/core/src/farm/index.js';
import { FARM_FILE } from './fixtures.js';

const ROWS = 50_000;
const NOW = new Date('2026-11-25T10:00:00Z');

function bigFarmText(): string {
  const rows: string[] = [];
  for (let i = 1; i <= ROWS; i++) {
    // Our rows, some destroyed; every tenth a Trinity row; a few pseudo-issues.
    if (i % 1000 === 0) rows.push(`{"issue":${2 ** 30 + i},"account_id":1,"service_id":"run-${i}"}`);
    else if (i % 10 === 0) rows.push(`{"issue":${i},"account_id":2,"service_id":"legacy-${i}"}`);
    else
      rows.push(
        JSON.stringify({
          issue: i,
          account_id: 1,
          service_id: `svc-${i}`,
          repo: 'octo-org/app',
          session_id: `session-${i}`,
          service_name: `issue-${i}`,
          deployment_id: `dep-${i}`,
          experience_file: `.trinity/experience/20261123T194501123Z_${i}.md`,
          status: i % 3 === 0 ? 'destroyed' : 'live',
          status_comment_id: 2_000_000 + i,
          created_at: '2026-09-01T00:00:00.000Z',
          updated_at: '2026-09-02T00:00:00.000Z',
          ...(i % 3 === 0 ? { destroyed_at: '2026-09-02T00:00:00.000Z' } : {}),
        }),
      );
  }
  return `{"version":2,"accounts":[\n  {"account_id":1,"alias":"primary","daily_creates":0,"active_services":0,"daily_reset_epoch":0}\n],"agent_map":[\n  ${rows.join(',\n  ')}\n]}\n`;
}

/** The farm with its rows behind a proxy that counts every element read. */
function counted(farm: Farm): { farm: Farm; reads: () => number; reset: () => void } {
  let reads = 0;
  const rows = new Proxy(farm.agent_map as FarmRow[], {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return {
    farm: { ...farm, agent_map: rows },
    reads: () => reads,
    reset: () => {
      reads = 0;
    },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a mapping of 50,000 rows', () => {
  it('parses, answers getMapping, takes one update and serializes, each in one pass over the rows', () => {
    const text = bigFarmText();
    const jsonParse = vi.spyOn(JSON, 'parse');
    const farm = parseFarm(text, 'f.json');
    expect(jsonParse).toHaveBeenCalledTimes(1);
    expect(farm.agent_map).toHaveLength(ROWS);

    const { farm: watched, reads, reset } = counted(farm);
    // The worst case for getMapping: an issue near the start (rows are searched from the end).
    expect(getMapping(watched, 2, FARM_FILE).railway_service_id).toBe('svc-2');
    expect(reads()).toBeLessThanOrEqual(ROWS);
    reset();
    expect(() => getMapping(watched, 3, FARM_FILE)).toThrow(NotBoundError);
    expect(reads()).toBeLessThanOrEqual(2 * ROWS);

    reset();
    const updated = upsertBinding(2, { deployment_id: 'dep-new' }, NOW)(watched);
    expect(reads()).toBeLessThanOrEqual(2 * ROWS);
    expect(updated.agent_map[1]?.deployment_id).toBe('dep-new');

    const stringify = vi.spyOn(JSON, 'stringify');
    const { farm: watchedAgain, reads: serializeReads } = counted(updated);
    const out = serializeFarm(watchedAgain);
    // One JSON.stringify per row and per account, one read of each row.
    expect(stringify.mock.calls.length).toBeLessThanOrEqual(ROWS + 1);
    expect(serializeReads()).toBeLessThanOrEqual(ROWS);
    expect(out.split('\n')).toHaveLength(ROWS + 5);
    expect(out).toContain('"deployment_id":"dep-new"');
  });

  it('loses its old destroyed rows in one pass, and keeps Trinity’s and pseudo-issue rows', () => {
    const farm = parseFarm(bigFarmText(), 'f.json');
    const { farm: watched, reads } = counted(farm);
    const kept = dropExpiredRows(new Date('2026-10-01T00:00:00Z'))(watched);
    expect(reads()).toBeLessThanOrEqual(ROWS);
    const destroyedOurs = farm.agent_map.filter((r) => r.status === 'destroyed').length;
    expect(kept.agent_map).toHaveLength(ROWS - destroyedOurs);
    expect(kept.agent_map.filter((r) => r.service_id.startsWith('legacy-'))).toHaveLength(
      farm.agent_map.filter((r) => r.service_id.startsWith('legacy-')).length,
    );
    expect(kept.agent_map.filter((r) => r.issue >= 2 ** 30)).toHaveLength(50);
  });
});
