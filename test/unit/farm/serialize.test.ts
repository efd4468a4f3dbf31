import { describe, expect, it } from 'vitest';
import {
  compose,
  emptyFarm,
  markDestroyed,
  parseFarm,
  recordCreate,
  serializeFarm,
  upsertBinding,
  type Farm,
} from '../../../packages/core/src/farm/index.js';
import { LEGACY_WITH_DUPLICATES, V2_WITH_UNKNOWN_KEYS } from './fixtures.js';

/**
 * Reads rows the way Trinity's Zig reader does: a substring scanner, not a JSON parser. It finds
 * `"issue":`, then `"account_id":`, then `"service_id":"` before the row's closing brace.
 */
function zigLikeScan(text: string): { issue: number; accountId: number; serviceId: string }[] {
  const rows: { issue: number; accountId: number; serviceId: string }[] = [];
  let from = 0;
  for (;;) {
    const issueAt = text.indexOf('"issue":', from);
    if (issueAt === -1) return rows;
    const end = text.indexOf('}', issueAt);
    const accountAt = text.indexOf('"account_id":', issueAt);
    const serviceAt = text.indexOf('"service_id":"', accountAt);
    if (accountAt === -1 || serviceAt === -1 || accountAt > end || serviceAt > end) {
      throw new Error(`row at ${issueAt} is not readable by the substring scanner`);
    }
    const valueStart = serviceAt + '"service_id":"'.length;
    rows.push({
      issue: Number.parseInt(text.slice(issueAt + '"issue":'.length), 10),
      accountId: Number.parseInt(text.slice(accountAt + '"account_id":'.length), 10),
      serviceId: text.slice(valueStart, text.indexOf('"', valueStart)),
    });
    from = end + 1;
  }
}

const NOW = new Date('2026-11-23T19:45:01.123Z');

describe('serializeFarm', () => {
  it('writes one compact account or row per line, version first, ending with a newline', () => {
    const farm = parseFarm(V2_WITH_UNKNOWN_KEYS, 'farm.json');
    expect(serializeFarm(farm)).toBe(
      '{"version":2,"accounts":[\n' +
        '  {"account_id":1,"alias":"primary","daily_creates":1,"active_services":1,"daily_reset_epoch":1795392000,"note":"team card"}\n' +
        '],"agent_map":[\n' +
        '  {"issue":7,"account_id":1,"service_id":"svc-7","session_id":"sess-7","service_name":"issue-7",' +
        '"deployment_id":"dep-7","experience_file":".trinity/experience/20261123T194501123Z_7.md","status":"live",' +
        '"status_comment_id":123456789,"created_at":"2026-11-23T19:40:00.000Z","updated_at":"2026-11-23T19:45:01.123Z",' +
        '"custom_tag":{"nested":[1,2]}}\n' +
        '],"comment":"hand-edited","owner":{"team":"infra"}}\n',
    );
  });

  it('writes an empty farm compactly', () => {
    expect(serializeFarm(emptyFarm())).toBe('{"version":2,"accounts":[],"agent_map":[]}\n');
  });

  it('begins every row with issue, account_id, service_id whatever order the object has', () => {
    const farm: Farm = {
      version: 2,
      accounts: [],
      agent_map: [{ extra: true, service_id: 's', status: 'live', account_id: 3, issue: 9 }],
    };
    const line = serializeFarm(farm).split('\n')[1];
    expect(line).toBe('  {"issue":9,"account_id":3,"service_id":"s","status":"live","extra":true}');
  });

  it('is deterministic: the same content gives the same bytes, whatever the key insertion order', () => {
    const a: Farm = {
      version: 2,
      accounts: [],
      agent_map: [{ issue: 1, account_id: 1, service_id: 's', url: 'u', repo: 'o/r' }],
    };
    const b: Farm = {
      agent_map: [{ repo: 'o/r', url: 'u', service_id: 's', account_id: 1, issue: 1 }],
      accounts: [],
      version: 2,
    };
    expect(serializeFarm(a)).toBe(serializeFarm(b));
  });

  it('stays readable by the legacy substring scanner, rows in file order', () => {
    const farm = compose(
      upsertBinding(
        506,
        {
          session_id: 'sess',
          deployment_id: 'dep',
          url: 'https://x.up.railway.app',
          status: 'live',
          custom: { a: '}' },
        },
        NOW,
      ),
      upsertBinding(77, { account_id: 2, service_id: 'svc-77', repo: 'o/r', status: 'provisioning' }, NOW),
      markDestroyed(77, NOW),
      recordCreate(2, NOW),
    )(parseFarm(LEGACY_WITH_DUPLICATES, 'farm.json'));
    const text = serializeFarm(farm);
    expect(zigLikeScan(text)).toEqual(
      farm.agent_map.map((row) => ({
        issue: row.issue,
        accountId: row.account_id,
        serviceId: row.service_id,
      })),
    );
    expect(zigLikeScan(text)).toHaveLength(5);
  });
});
