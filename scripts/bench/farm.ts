// The farm file at 100, 10,000 and 50,000 rows: reading one issue's mapping from the file's text
// (parse + getMapping, what every run does first) and one update (parse + upsertBinding +
// serialise, what every commit-back plans). Medians of a few repetitions, in this process.
import { performance } from 'node:perf_hooks';
import {
  FARM_VERSION,
  getMapping,
  parseFarm,
  serializeFarm,
  upsertBinding,
  type Farm,
  type FarmRow,
} from '@trinity/core';
import { median } from './stats.js';

export const FARM_SIZES = [100, 10_000, 50_000];
const REPEATS = 7;
const PATH = '.trinity/railway_farm.json';

export interface FarmTiming {
  rows: number;
  bytes: number;
  getMappingMs: number;
  updateMs: number;
  /** Of those, parsing the text alone: what a bigger file costs before any lookup. */
  parseMs: number;
}

/** Rows as the actions write them; one in four destroyed, as an old repository's would be. */
function farmOf(rows: number): Farm {
  const at = '2026-11-20T09:00:00.000Z';
  const agent_map: FarmRow[] = [];
  for (let issue = 1; issue <= rows; issue++) {
    const destroyed = issue % 4 === 0;
    agent_map.push({
      issue,
      account_id: 1,
      service_id: `svc-${issue.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      repo: 'octo-org/bench',
      session_id: `sess-${issue}`,
      service_name: `issue-${issue}`,
      deployment_id: `dep-${issue}`,
      deployment_status: destroyed ? 'REMOVED' : 'SUCCESS',
      url: `https://issue-${issue}.up.railway.app`,
      status: destroyed ? 'destroyed' : 'live',
      status_comment_id: 1_000_000 + issue,
      created_at: at,
      updated_at: at,
      ...(destroyed ? { destroyed_at: at } : {}),
    });
  }
  return { version: FARM_VERSION, accounts: [], agent_map };
}

function timed(action: () => void): number {
  const times: number[] = [];
  for (let n = 0; n < REPEATS; n++) {
    const started = performance.now();
    action();
    times.push(performance.now() - started);
  }
  return median(times);
}

export function measureFarm(rows: number): FarmTiming {
  const text = serializeFarm(farmOf(rows));
  const issue = rows - 1; // near the end: a lookup cannot stop early
  const now = new Date('2026-11-21T09:00:00.000Z');
  return {
    rows,
    bytes: Buffer.byteLength(text),
    parseMs: timed(() => void parseFarm(text, PATH)),
    getMappingMs: timed(() => void getMapping(parseFarm(text, PATH), issue, PATH)),
    updateMs: timed(() => {
      const farm = parseFarm(text, PATH);
      void serializeFarm(upsertBinding(issue, { deployment_status: 'BUILDING' }, now)(farm));
    }),
  };
}
