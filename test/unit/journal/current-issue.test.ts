import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../packages/core/src/errors.js';
import {
  CURRENT_ISSUE_PATH,
  newSessionId,
  readCurrentIssue,
  recordStep,
  removeCurrentIssue,
  writeCurrentIssue,
  type CurrentIssue,
} from '../../../packages/core/src/journal/index.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'journal-current-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const linked: CurrentIssue = {
  issue_number: 506,
  repo: 'o/r',
  session_id: 'sess-1',
  linked_at: '2026-11-23T19:45:01.123Z',
  last_step_at: null,
  steps: 0,
};

describe('current issue', () => {
  it('reads undefined when nothing is linked', async () => {
    expect(await readCurrentIssue(root)).toBeUndefined();
  });

  it('round-trips through the file, in the documented shape', async () => {
    await writeCurrentIssue(root, linked);
    expect(await readCurrentIssue(root)).toEqual(linked);
    const raw = JSON.parse(await readFile(path.join(root, CURRENT_ISSUE_PATH), 'utf8')) as unknown;
    expect(raw).toEqual(linked);
  });

  it('records a step', async () => {
    await writeCurrentIssue(root, linked);
    const next = await recordStep(root, new Date('2026-11-24T00:00:00.000Z'));
    expect(next).toEqual({ ...linked, steps: 1, last_step_at: '2026-11-24T00:00:00.000Z' });
    await recordStep(root, new Date('2026-11-24T00:00:01.000Z'));
    expect(await readCurrentIssue(root)).toMatchObject({
      steps: 2,
      last_step_at: '2026-11-24T00:00:01.000Z',
    });
  });

  it('says to link first when recording a step with nothing linked', async () => {
    await expect(recordStep(root, new Date())).rejects.toThrow(/tri agent link <issue>/);
  });

  it('reports a corrupt file as a user error naming the file and the fix', async () => {
    const file = path.join(root, CURRENT_ISSUE_PATH);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{"issue_number": 506,');
    const error = await readCurrentIssue(root).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain('is not valid JSON');
    expect((error as Error).message).toContain('tri agent unlink');
    await writeFile(file, JSON.stringify({ ...linked, steps: -1 }));
    await expect(readCurrentIssue(root)).rejects.toThrow(/"steps" must be a whole number/);
    await writeFile(file, JSON.stringify({ ...linked, repo: 'not a repo' }));
    await expect(readCurrentIssue(root)).rejects.toThrow(/"repo" must be "owner\/name"/);
  });

  it('refuses to write an invalid value', async () => {
    await expect(writeCurrentIssue(root, { ...linked, issue_number: 0 })).rejects.toThrow(UserError);
    expect(await readCurrentIssue(root)).toBeUndefined();
  });

  it('removes the link and says whether there was one', async () => {
    await writeCurrentIssue(root, linked);
    expect(await removeCurrentIssue(root)).toBe(true);
    expect(await removeCurrentIssue(root)).toBe(false);
    expect(await readCurrentIssue(root)).toBeUndefined();
  });

  it('makes session ids with an injectable generator', () => {
    expect(newSessionId(() => 'fixed')).toBe('fixed');
    expect(newSessionId()).toMatch(/^[0-9a-f-]{36}$/);
    expect(newSessionId()).not.toBe(newSessionId());
  });
});
