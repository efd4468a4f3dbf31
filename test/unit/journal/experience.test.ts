import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../../../packages/core/src/errors.js';
import {
  EXPERIENCE_DIR,
  REDACTED,
  experienceFileName,
  formatExperienceTimestamp,
  parseExperienceFile,
  setExperienceCommentUrl,
  writeExperienceFile,
} from '../../../packages/core/src/journal/index.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'journal-experience-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const at = new Date('2026-11-23T19:45:01.123Z');
const base = {
  repo: 'o/r',
  issue: 506,
  sessionId: 'sess-1',
  event: 'step_completed' as const,
  at,
  message: 'hi',
};

function frontMatterOf(text: string): unknown {
  return parseYaml(text.split('\n---\n')[0]?.replace(/^---\n/, '') ?? '');
}

describe('experience file names', () => {
  it('uses the UTC YYYYMMDDTHHMMSSmmmZ timestamp and sorts by time', () => {
    expect(formatExperienceTimestamp(at)).toBe('20261123T194501123Z');
    expect(experienceFileName(new Date('2026-01-02T03:04:05.006Z'), 7)).toBe('20260102T030405006Z_7.md');
    const times = ['2026-11-23T19:45:01.999Z', '2026-01-01T00:00:00.000Z', '2026-11-23T19:45:02.000Z'];
    const names = times.map((t) => experienceFileName(new Date(t), 506));
    expect([...names].sort()).toEqual([...times].sort().map((t) => experienceFileName(new Date(t), 506)));
    expect(() => formatExperienceTimestamp(new Date('nope'))).toThrow(TypeError);
  });
});

describe('writeExperienceFile', () => {
  it('writes front matter and the redacted message, and returns a POSIX relative path', async () => {
    const relPath = await writeExperienceFile({
      ...base,
      root,
      message: 'token rw_secret_value used, cc @alice',
      secrets: ['rw_secret_value'],
    });
    expect(relPath).toBe(`${EXPERIENCE_DIR}/20261123T194501123Z_506.md`);
    const text = await readFile(path.join(root, relPath), 'utf8');
    expect(text).toBe(
      '---\nissue: 506\nrepo: "o/r"\nsession_id: "sess-1"\nevent: "step_completed"\n' +
        `at: "2026-11-23T19:45:01.123Z"\n---\n\ntoken ${REDACTED} used, cc @alice\n`,
    );
    expect(parseExperienceFile(text)).toEqual({
      frontMatter: {
        issue: 506,
        repo: 'o/r',
        session_id: 'sess-1',
        event: 'step_completed',
        at: at.toISOString(),
      },
      message: `token ${REDACTED} used, cc @alice`,
    });
  });

  it('creates a second file a millisecond later instead of overwriting', async () => {
    const first = await writeExperienceFile({ ...base, root, message: 'first' });
    const [second, third] = await Promise.all([
      writeExperienceFile({ ...base, root, message: 'second' }),
      writeExperienceFile({ ...base, root, message: 'third' }),
    ]);
    expect(first).toBe(`${EXPERIENCE_DIR}/20261123T194501123Z_506.md`);
    expect(new Set([first, second, third]).size).toBe(3);
    const names = (await readdir(path.join(root, EXPERIENCE_DIR))).sort();
    expect(names).toEqual([
      '20261123T194501123Z_506.md',
      '20261123T194501124Z_506.md',
      '20261123T194501125Z_506.md',
    ]);
    const messages = await Promise.all(
      names.map(
        async (name) =>
          parseExperienceFile(await readFile(path.join(root, EXPERIENCE_DIR, name), 'utf8')).message,
      ),
    );
    expect(messages[0]).toBe('first');
    expect([...messages.slice(1)].sort()).toEqual(['second', 'third']);
  });

  it('neutralises a front-matter injection through the message, the repo and the session id', async () => {
    const relPath = await writeExperienceFile({
      ...base,
      root,
      repo: 'o/r"\nevent: "sandbox_destroyed',
      sessionId: 'x\u2028issue: 1',
      message: '---\nissue: 1\nevent: sandbox_destroyed\n---\nbody',
    });
    const text = await readFile(path.join(root, relPath), 'utf8');
    const yaml = frontMatterOf(text);
    expect(yaml).toEqual({
      issue: 506,
      repo: 'o/r"\nevent: "sandbox_destroyed',
      session_id: 'x\u2028issue: 1',
      event: 'step_completed',
      at: at.toISOString(),
    });
    const parsed = parseExperienceFile(text);
    expect(parsed.frontMatter.issue).toBe(506);
    expect(parsed.frontMatter.event).toBe('step_completed');
    expect(parsed.message).toBe('---\nissue: 1\nevent: sandbox_destroyed\n---\nbody');
  });
});

describe('setExperienceCommentUrl', () => {
  it('adds and then replaces comment_url, leaving the message untouched', async () => {
    const relPath = await writeExperienceFile({ ...base, root, message: 'line 1\n\n---\nline 2' });
    const file = path.join(root, relPath);
    await setExperienceCommentUrl(root, relPath, 'https://github.com/o/r/issues/506#issuecomment-1');
    await setExperienceCommentUrl(root, relPath, 'https://github.com/o/r/issues/506#issuecomment-2');
    const text = await readFile(file, 'utf8');
    expect(text.match(/comment_url:/g)).toHaveLength(1);
    const parsed = parseExperienceFile(text);
    expect(parsed.frontMatter.comment_url).toBe('https://github.com/o/r/issues/506#issuecomment-2');
    expect(parsed.message).toBe('line 1\n\n---\nline 2');
    expect(frontMatterOf(text)).toMatchObject({
      comment_url: 'https://github.com/o/r/issues/506#issuecomment-2',
    });
  });

  it('refuses paths outside the repository and missing files', async () => {
    await expect(setExperienceCommentUrl(root, '../x.md', 'u')).rejects.toThrow(UserError);
    await expect(setExperienceCommentUrl(root, '/etc/passwd', 'u')).rejects.toThrow(
      /does not name a file inside the repository/,
    );
    await expect(setExperienceCommentUrl(root, `${EXPERIENCE_DIR}/none.md`, 'u')).rejects.toThrow(
      /does not exist/,
    );
  });
});

describe('parseExperienceFile', () => {
  it('names the problem in a corrupt file', () => {
    expect(() => parseExperienceFile('no front matter', 'f.md')).toThrow(
      /f\.md is not a valid experience file: no front/,
    );
    const bad =
      '---\nissue: 506\nrepo: "o/r"\nsession_id: "s"\nevent: "party"\nat: "2026-01-01T00:00:00Z"\n---\n';
    expect(() => parseExperienceFile(bad)).toThrow(/event "party" is not a journal event type/);
  });
});
