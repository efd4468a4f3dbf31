import { describe, expect, it } from 'vitest';
import {
  closeBinding,
  emptyFarm,
  findBinding,
  recordCreate,
  updateBinding,
  upsertBinding,
  type Farm,
} from '@trinity/core';

const at = new Date('2026-11-25T10:00:00Z');

function bound(): Farm {
  const farm = upsertBinding(
    7,
    { account_id: 1, service_id: 'svc-a', status: 'deploying', experience_file: 'old.md' },
    at,
  )(emptyFarm());
  return recordCreate(1, at)(recordCreate(1, at)(farm));
}

describe('lifecycle mutations, re-applied after lost races', () => {
  it('updateBinding changes only the fields it names, and only for the same service', () => {
    // A journal step moved the pointer while the deployment was being waited for.
    const meanwhile = upsertBinding(7, { experience_file: 'new.md' }, at)(bound());
    const after = updateBinding(7, 'svc-a', { status: 'live', deployment_id: 'dep-1' }, at)(meanwhile);
    expect(findBinding(after, 7)).toMatchObject({
      status: 'live',
      deployment_id: 'dep-1',
      experience_file: 'new.md',
    });

    // The sandbox was destroyed (or replaced) meanwhile: nothing is revived or overwritten.
    const replaced = upsertBinding(7, { service_id: 'svc-b' }, at)(meanwhile);
    expect(updateBinding(7, 'svc-a', { status: 'live' }, at)(replaced)).toBe(replaced);
  });

  it('closeBinding frees the account slot once, however often it is applied', () => {
    const farm = bound();
    expect(farm.accounts[0]?.active_services).toBe(2);
    const close = closeBinding(7, 'svc-a', 1, at);
    const once = close(farm);
    const twice = close(once);
    expect(findBinding(once, 7)).toBeUndefined();
    expect(once.accounts[0]?.active_services).toBe(1);
    expect(twice).toBe(once);
  });
});
