import { describe, expect, it } from 'vitest';
import { UserError } from '../../../packages/core/src/errors.js';
import {
  NotBoundError,
  describeMissing,
  findBinding,
  getMapping,
  listBindings,
  parseFarm,
} from '../../../packages/core/src/farm/index.js';
import {
  FARM_FILE,
  LEGACY_SPEC_FILE,
  LEGACY_WITH_DUPLICATES,
  V2_WITH_UNKNOWN_KEYS,
  farmOf,
} from './fixtures.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('getMapping', () => {
  it('returns the canonical identifiers of a version-2 row', () => {
    const mapping = getMapping(parseFarm(V2_WITH_UNKNOWN_KEYS, 'f'), 7, FARM_FILE);
    expect(mapping).toMatchObject({
      issue: 7,
      session_id: 'sess-7',
      railway_service_id: 'svc-7',
      deployment_id: 'dep-7',
      experience_file: '.trinity/experience/20261123T194501123Z_7.md',
      missing: [],
    });
    expect(mapping.row.status_comment_id).toBe(123456789);
    expect(describeMissing(mapping)).toBeUndefined();
  });

  it.each([506, '506', '#506', ' #506 ', 'https://github.com/o/r/issues/506'])(
    'accepts the issue as %j',
    (input) => {
      const mapping = getMapping(parseFarm(LEGACY_SPEC_FILE, 'f'), input, FARM_FILE);
      expect(mapping.railway_service_id).toBe('5c3f29ff-b38b-47fd-8471-f1209ebda5e4');
    },
  );

  it('fills what a legacy row has and lists what it lacks', () => {
    const mapping = getMapping(parseFarm(LEGACY_SPEC_FILE, 'f'), 506, FARM_FILE);
    expect(mapping).toEqual({
      issue: 506,
      session_id: undefined,
      railway_service_id: '5c3f29ff-b38b-47fd-8471-f1209ebda5e4',
      deployment_id: undefined,
      experience_file: undefined,
      missing: ['session_id', 'deployment_id', 'experience_file'],
      row: { issue: 506, account_id: 1, service_id: '5c3f29ff-b38b-47fd-8471-f1209ebda5e4' },
    });
    expect(describeMissing(mapping)).toBe(
      'Issue #506 is bound to Railway service 5c3f29ff-b38b-47fd-8471-f1209ebda5e4, but its row has no ' +
        'session_id, deployment_id or experience_file (a row written by Trinity or before the first deploy). ' +
        'They are recorded by the next deploy (deployment_id), `tri agent link` (session_id) and journal ' +
        'step (experience_file).',
    );
  });

  it('takes the last row of duplicates that is not destroyed', () => {
    const legacy = parseFarm(LEGACY_WITH_DUPLICATES, 'f');
    expect(getMapping(legacy, 506, FARM_FILE).row).toBe(legacy.agent_map[3]);
    expect(getMapping(legacy, 506, FARM_FILE).railway_service_id).toBe(
      'aaaaaaaa-0000-4000-8000-000000000506',
    );
    const farm = farmOf(
      { issue: 5, account_id: 1, service_id: 'old' },
      { issue: 5, account_id: 1, service_id: 'current', deployment_id: 'd' },
      {
        issue: 5,
        account_id: 2,
        service_id: 'gone',
        status: 'destroyed',
        destroyed_at: '2026-01-02T00:00:00.000Z',
      },
    );
    expect(getMapping(farm, 5, FARM_FILE).railway_service_id).toBe('current');
    expect(findBinding(farm, 5)).toBe(farm.agent_map[1]);
    expect(getMapping(farm, 5, FARM_FILE).missing).toEqual(['session_id', 'experience_file']);
  });

  it("fails with a typed NotBoundError that says when an issue's sandbox was destroyed", () => {
    const farm = farmOf(
      {
        issue: 5,
        account_id: 1,
        service_id: 'a',
        status: 'destroyed',
        destroyed_at: '2026-01-01T00:00:00.000Z',
      },
      {
        issue: 5,
        account_id: 1,
        service_id: 'b',
        status: 'destroyed',
        destroyed_at: '2026-01-02T03:04:05.000Z',
      },
    );
    const error = thrown(() => getMapping(farm, '#5', FARM_FILE));
    expect(error).toBeInstanceOf(NotBoundError);
    expect((error as NotBoundError).issue).toBe(5);
    expect(error.message).toBe(
      'Issue #5 has no live sandbox in .trinity/railway_farm.json: its sandbox (Railway service b) was ' +
        'destroyed at 2026-01-02T03:04:05.000Z. Provision a new one (the provision-sandbox action, or ' +
        'label the issue) if the work continues.',
    );
  });

  it('fails with NotBoundError for an unknown issue', () => {
    const error = thrown(() => getMapping(parseFarm(LEGACY_SPEC_FILE, 'f'), 507, FARM_FILE));
    expect(error).toBeInstanceOf(NotBoundError);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      'Issue #507 is not bound to a sandbox in .trinity/railway_farm.json. Provision one (the ' +
        'provision-sandbox action, or label the issue) or check the issue number.',
    );
  });

  it.each([-1, 0, 1.5, '5.0', 2026198461, 2 ** 53, '../506', '.trinity/506', 'issue-506', null, {}, ''])(
    'refuses %j as an issue with a UserError, not a NotBoundError',
    (input) => {
      const error = thrown(() => getMapping(parseFarm(LEGACY_SPEC_FILE, 'f'), input, FARM_FILE));
      expect(error).toBeInstanceOf(UserError);
      expect(error).not.toBeInstanceOf(NotBoundError);
      expect(error.message).toContain('is not a GitHub issue number');
    },
  );
});

describe('listBindings', () => {
  it('lists the current binding of each real issue, skipping pseudo-issues and destroyed rows', () => {
    const farm = farmOf(
      { issue: 2026198461, account_id: 2, service_id: 'run' },
      { issue: 9, account_id: 1, service_id: 'nine' },
      { issue: 3, account_id: 1, service_id: 'three-old' },
      { issue: 3, account_id: 1, service_id: 'three' },
      { issue: 4, account_id: 1, service_id: 'four', status: 'destroyed' },
    );
    expect(listBindings(farm).map((r) => [r.issue, r.service_id])).toEqual([
      [3, 'three'],
      [9, 'nine'],
    ]);
  });
});
