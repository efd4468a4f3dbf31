/** Farm files used by the farm tests. */
import type { Farm, FarmRow } from '../../../packages/core/src/farm/index.js';

/** The farm file's path the tests read and write, as the actions default to it. */
export const FARM_FILE = '.trinity/railway_farm.json';

/** A version-2 farm holding `rows` and no accounts. */
export function farmOf(...rows: FarmRow[]): Farm {
  return { version: 2, accounts: [], agent_map: rows };
}

/** The legacy Trinity file (written by the Zig code), byte for byte as docs/formats.md, '.trinity/railway_farm.json' shows it. */
export const LEGACY_SPEC_FILE = `{"accounts":[
  {"account_id":1,"alias":"primary","daily_creates":12,"active_services":26,"daily_reset_epoch":1773792000},
  {"account_id":2,"alias":"farm-2","daily_creates":17,"active_services":25,"daily_reset_epoch":1773792000}
],"agent_map":[
  {"issue":2026198461,"account_id":2,"service_id":"e01e6005-f85d-40e3-8afa-2ccf001bbc7f"},
  {"issue":506,"account_id":1,"service_id":"5c3f29ff-b38b-47fd-8471-f1209ebda5e4"}
]}
`;

/** The same, as the old appending writer leaves it after re-binding issue 506 twice. */
export const LEGACY_WITH_DUPLICATES = `{"accounts":[
  {"account_id":1,"alias":"primary","daily_creates":12,"active_services":26,"daily_reset_epoch":1773792000},
  {"account_id":2,"alias":"farm-2","daily_creates":17,"active_services":25,"daily_reset_epoch":1773792000}
],"agent_map":[
  {"issue":2026198461,"account_id":2,"service_id":"e01e6005-f85d-40e3-8afa-2ccf001bbc7f"},
  {"issue":506,"account_id":1,"service_id":"5c3f29ff-b38b-47fd-8471-f1209ebda5e4"},
  {"issue":506,"account_id":2,"service_id":"aaaaaaaa-0000-4000-8000-000000000506"},
  {"issue":506,"account_id":2,"service_id":"aaaaaaaa-0000-4000-8000-000000000506"}
]}
`;

/** A version-2 file with unknown keys at every level, in an order different from ours. */
export const V2_WITH_UNKNOWN_KEYS = JSON.stringify(
  {
    comment: 'hand-edited',
    version: 2,
    agent_map: [
      {
        service_name: 'issue-7',
        issue: 7,
        custom_tag: { nested: [1, 2] },
        service_id: 'svc-7',
        account_id: 1,
        session_id: 'sess-7',
        deployment_id: 'dep-7',
        experience_file: '.trinity/experience/20261123T194501123Z_7.md',
        status: 'live',
        status_comment_id: 123456789,
        created_at: '2026-11-23T19:40:00.000Z',
        updated_at: '2026-11-23T19:45:01.123Z',
      },
    ],
    accounts: [
      {
        note: 'team card',
        account_id: 1,
        alias: 'primary',
        daily_creates: 1,
        active_services: 1,
        daily_reset_epoch: 1795392000,
      },
    ],
    owner: { team: 'infra' },
  },
  null,
  2,
);
