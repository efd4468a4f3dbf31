/**
 * An issue journaled without a sandbox keeps its status comment id in an unbound row:
 * `{"issue":N,"account_id":0,"service_id":"","status":"none",…}`. Trinity's substring reader still
 * finds its three leading keys (account 0 is no account, so it finds no token for it); every reader
 * of bindings treats the issue as not bound.
 */
import { describe, expect, it } from 'vitest';
import {
  FarmCorruptError,
  NotBoundError,
  findBinding,
  findStatusCommentId,
  getMapping,
  listBindings,
  markDestroyed,
  parseFarm,
  rememberStatusComment,
  serializeFarm,
  upsertBinding,
} from '../../../packages/core/src/farm/index.js';
import { FARM_FILE, farmOf } from './fixtures.js';

const T0 = new Date('2026-11-25T10:00:00Z');
const T1 = new Date('2026-11-25T11:00:00Z');

describe('the unbound row', () => {
  it('is appended for an issue without a row, and written with the legacy leading keys', () => {
    const farm = rememberStatusComment(12, 2000001, T0)(farmOf());
    const text = serializeFarm(farm);
    expect(text).toContain(
      '{"issue":12,"account_id":0,"service_id":"","status":"none","status_comment_id":2000001,' +
        '"created_at":"2026-11-25T10:00:00.000Z","updated_at":"2026-11-25T10:00:00.000Z"}',
    );
    expect(parseFarm(text, 'f')).toEqual(farm);
    expect(findStatusCommentId(farm, 12)).toBe(2000001);
  });

  it('is not a binding: getMapping says not bound (not destroyed), lists and finds skip it', () => {
    const farm = rememberStatusComment(12, 2000001, T0)(farmOf());
    expect(findBinding(farm, 12)).toBeUndefined();
    expect(listBindings(farm)).toEqual([]);
    const error = (() => {
      try {
        getMapping(farm, 12, FARM_FILE);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NotBoundError);
    expect((error as Error).message).toContain('Issue #12 is not bound to a sandbox');
  });

  it('changes nothing when the id is already remembered, and is updated in place when it changes', () => {
    const first = rememberStatusComment(12, 2000001, T0)(farmOf());
    expect(rememberStatusComment(12, 2000001, T1)(first)).toBe(first);
    const moved = rememberStatusComment(12, 2000009, T1)(first);
    expect(moved.agent_map).toEqual([
      expect.objectContaining({ status: 'none', status_comment_id: 2000009, updated_at: T1.toISOString() }),
    ]);
  });

  it('becomes the binding in place when the issue gets a sandbox, keeping the status comment id', () => {
    const unbound = rememberStatusComment(
      12,
      2000001,
      T0,
    )(farmOf({ issue: 3, account_id: 1, service_id: 'a' }));
    const bound = upsertBinding(
      12,
      { account_id: 1, service_id: 'svc-12', status: 'provisioning' },
      T1,
    )(unbound);
    expect(bound.agent_map).toHaveLength(2);
    expect(findBinding(bound, 12)).toMatchObject({
      issue: 12,
      account_id: 1,
      service_id: 'svc-12',
      status: 'provisioning',
      status_comment_id: 2000001,
    });
  });

  it('is not needed once the binding or a destroyed row names the id', () => {
    const bound = farmOf({ issue: 12, account_id: 1, service_id: 's', status: 'live', status_comment_id: 5 });
    const destroyed = markDestroyed(12, T0)(bound);
    expect(findStatusCommentId(destroyed, 12)).toBe(5);
    expect(rememberStatusComment(12, 5, T1)(destroyed)).toBe(destroyed);
    // On a binding the id is the binding's field.
    expect(findBinding(rememberStatusComment(12, 6, T1)(bound), 12)?.status_comment_id).toBe(6);
  });

  it('is refused with a clear error when it names an account or a service', () => {
    const withService =
      '{"version":2,"accounts":[],"agent_map":[\n  {"issue":12,"account_id":0,"service_id":"svc","status":"none"}\n]}';
    expect(() => parseFarm(withService, 'f.json')).toThrow(FarmCorruptError);
    expect(() => parseFarm(withService, 'f.json')).toThrow(
      /"status":"none" \(no sandbox\) must have "service_id":""/,
    );
    const withAccount =
      '{"version":2,"accounts":[],"agent_map":[\n  {"issue":12,"account_id":2,"service_id":"","status":"none"}\n]}';
    expect(() => parseFarm(withAccount, 'f.json')).toThrow(/must have "account_id":0/);
    // Account 0 stays refused for any other row.
    const bound =
      '{"version":2,"accounts":[],"agent_map":[\n  {"issue":12,"account_id":0,"service_id":"s"}\n]}';
    expect(() => parseFarm(bound, 'f.json')).toThrow(/"account_id" must be a positive whole number/);
  });
});
