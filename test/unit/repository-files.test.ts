import fs from 'node:fs';
import type * as fsPromises from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  InputError,
  UserError,
  createFileFarmStore,
  inputsFromRecord,
  readProvisionSettings,
  setExperienceCommentUrl,
  upsertBinding,
  writeCurrentIssue,
} from '@trinity/core';
import { runContext } from '../support/settings-fixtures.js';

/** What the file system was asked to do, in order: the flush of a temp file, then the rename. */
const calls: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fsPromises>();
  const open: typeof real.open = async (...args) => {
    const handle = await real.open(...args);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      calls.push('sync');
      await sync();
    };
    return handle;
  };
  const rename: typeof real.rename = async (from, to) => {
    calls.push(`rename to ${path.basename(String(to))}`);
    await real.rename(from, to);
  };
  return { ...real, default: { ...real, open, rename }, open, rename };
});

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'repository-files-'));
  calls.length = 0;
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('replacing a file in the checkout', () => {
  it('flushes the temp file before renaming it, for the farm file and the current-issue file alike', async () => {
    await createFileFarmStore({ root, path: '.trinity/railway_farm.json' }).update(
      upsertBinding(1, { account_id: 1, service_id: 's' }, new Date('2026-03-18T10:00:00.000Z')),
    );
    await writeCurrentIssue(root, {
      issue_number: 7,
      repo: 'octo-org/app',
      session_id: 'session-1',
      linked_at: '2026-03-18T10:00:00.000Z',
      last_step_at: null,
      steps: 0,
    });
    expect(calls).toEqual(['sync', 'rename to railway_farm.json', 'sync', 'rename to current_issue.json']);
    expect(fs.readdirSync(path.join(root, '.trinity')).sort()).toEqual([
      'current_issue.json',
      'railway_farm.json',
    ]);
  });
});

/** Whether each of the three readers of a repository path accepts `relPath`. */
async function verdicts(relPath: string): Promise<{ input: boolean; farm: boolean; experience: boolean }> {
  let input = true;
  try {
    readProvisionSettings(
      inputsFromRecord({
        'github-token': 'ghs_abc',
        'railway-token': 'rw_secret',
        image: 'nginx:alpine',
        'farm-path': relPath,
      }),
      runContext(),
    );
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    input = false;
  }
  let farm = true;
  try {
    createFileFarmStore({ root, path: relPath });
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain('does not name a file inside the repository');
    farm = false;
  }
  // A path it accepts is then looked up, and is missing in the empty checkout.
  const experience = await setExperienceCommentUrl(root, relPath, 'u').then(
    () => true,
    (error: unknown) => {
      expect(error).toBeInstanceOf(UserError);
      return !(error as Error).message.includes('does not name a file inside the repository');
    },
  );
  return { input, farm, experience };
}

describe('a path inside the repository', () => {
  it.each([
    ['.trinity/railway_farm.json', true],
    ['ops/../config/farm.json', true],
    ['./ops/farm.json', true],
    ['../farm.json', false],
    ['a/../../b', false],
    ['.trinity/../../farm.json', false],
    ['/etc/passwd', false],
    ['C:\\farm.json', false],
    ['..\\farm.json', false],
    ['.', false],
    ['ops/..', false],
  ])(
    '%j is judged the same by the farm-path input, the farm store and the journal (inside: %s)',
    async (relPath, inside) => {
      expect(await verdicts(relPath)).toEqual({ input: inside, farm: inside, experience: inside });
    },
  );
});
