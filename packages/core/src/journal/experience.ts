import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { EventType } from '../events.js';
import { MAX_ISSUE_NUMBER } from '../issue-number.js';
import { isEventType } from './event.js';
import { isErrnoException, resolveInsideRepository, writeFileAtomic } from '../files.js';
import { redactText } from './sanitize.js';

/**
 * Experience files (docs/formats.md, '.trinity/experience/'): one Markdown file per journal step,
 * never overwritten, named so that a plain sort is a sort by time. They are committed to the
 * repository, so the message is redacted; mentions are left as written because a file in a
 * repository pings nobody.
 */
export const EXPERIENCE_DIR = '.trinity/experience';
/** How an experience file's path is named when it is refused as outside the repository. */
const EXPERIENCE_PATH = {
  what: 'experience file path',
  example: `${EXPERIENCE_DIR}/20261123T194501123Z_506.md`,
};

/** How many one-millisecond steps a name may move on before we give up (a stuck clock, a bug). */
export const MAX_NAME_ATTEMPTS = 1_000;

export interface ExperienceFrontMatter {
  issue: number;
  repo: string;
  session_id: string;
  event: EventType;
  at: string;
  comment_url?: string;
}

export interface ExperienceFile {
  frontMatter: ExperienceFrontMatter;
  message: string;
}

export interface WriteExperienceOptions {
  /** The repository root; the file goes to `<root>/.trinity/experience/`. */
  root: string;
  repo: string;
  issue: number;
  sessionId: string;
  event: EventType;
  at: Date;
  message: string;
  secrets?: Iterable<string>;
}

/** `YYYYMMDDTHHMMSSmmmZ` in UTC: `2026-11-23T19:45:01.123Z` → `20261123T194501123Z`. */
export function formatExperienceTimestamp(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new TypeError('An experience file needs a valid date.');
  return at.toISOString().replace(/[-:.]/g, '');
}

export function experienceFileName(at: Date, issue: number): string {
  return `${formatExperienceTimestamp(at)}_${issue}.md`;
}

/*
 * Every string value is written as a YAML double-quoted scalar. JSON's string syntax is a subset
 * of it; we additionally escape the characters YAML treats as line breaks or forbids (NEL, LS, PS,
 * BOM, C1 controls), so no value can end its line and start a key of its own.
 */
function yamlString(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (char) => {
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function renderFrontMatter(front: ExperienceFrontMatter): string {
  const lines = [
    '---',
    `issue: ${front.issue}`,
    `repo: ${yamlString(front.repo)}`,
    `session_id: ${yamlString(front.session_id)}`,
    `event: ${yamlString(front.event)}`,
    `at: ${yamlString(front.at)}`,
  ];
  if (front.comment_url !== undefined) lines.push(`comment_url: ${yamlString(front.comment_url)}`);
  lines.push('---');
  return lines.join('\n');
}

export function renderExperienceFile(file: ExperienceFile): string {
  const message = file.message.endsWith('\n') ? file.message : `${file.message}\n`;
  return `${renderFrontMatter(file.frontMatter)}\n\n${message}`;
}

/**
 * Creates the file exclusively (`wx`); on a name collision the timestamp moves on by one
 * millisecond and it tries again, so two steps at the same instant get two files. The `at` in the
 * front matter stays the event's real time. Returns the path relative to `root`, with `/`.
 */
export async function writeExperienceFile(options: WriteExperienceOptions): Promise<string> {
  const { root, issue, at } = options;
  if (!Number.isSafeInteger(issue) || issue < 1 || issue > MAX_ISSUE_NUMBER) {
    throw new TypeError(`An experience file needs a GitHub issue number; got ${String(issue)}.`);
  }
  const content = renderExperienceFile({
    frontMatter: {
      issue,
      repo: options.repo,
      session_id: options.sessionId,
      event: options.event,
      at: at.toISOString(),
    },
    message: redactText(options.message, { secrets: options.secrets ?? [] }),
  });
  await mkdir(path.join(root, EXPERIENCE_DIR), { recursive: true });
  for (let step = 0; step < MAX_NAME_ATTEMPTS; step += 1) {
    const relPath = `${EXPERIENCE_DIR}/${experienceFileName(new Date(at.getTime() + step), issue)}`;
    const file = resolveInsideRepository(root, relPath, EXPERIENCE_PATH);
    let handle;
    try {
      handle = await open(file, 'wx');
    } catch (error) {
      if (isErrnoException(error, 'EEXIST')) continue;
      throw error;
    }
    try {
      await handle.writeFile(content, 'utf8');
    } catch (error) {
      // Do not leave an empty or partial file behind under a name a later step would skip.
      await handle.close();
      await rm(file, { force: true });
      throw error;
    }
    await handle.close();
    return relPath;
  }
  throw new Error(
    `Could not find a free experience file name for issue #${issue} within ${MAX_NAME_ATTEMPTS} ms of ` +
      `${at.toISOString()} in ${EXPERIENCE_DIR}.`,
  );
}

function parseScalar(raw: string): unknown {
  const text = raw.trim();
  if (text.startsWith('"')) return JSON.parse(text) as unknown;
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2)
    return text.slice(1, -1).replace(/''/g, "'");
  if (/^-?[0-9]+$/.test(text)) return Number(text);
  if (text === '' || text === 'null' || text === '~') return null;
  return text;
}

/** Splits a file into its front-matter lines and its body; `undefined` when there is no block. */
function splitFrontMatter(text: string): { lines: string[]; body: string } | undefined {
  const normalised = text.replace(/\r\n/g, '\n');
  if (!normalised.startsWith('---\n')) return undefined;
  const end = normalised.indexOf('\n---', 3);
  if (end < 0) return undefined;
  const afterFence = normalised.indexOf('\n', end + 1);
  const closing = normalised.slice(end + 1, afterFence < 0 ? undefined : afterFence);
  if (closing.trim() !== '---') return undefined;
  return {
    lines: normalised.slice(4, end).split('\n'),
    body: afterFence < 0 ? '' : normalised.slice(afterFence + 1),
  };
}

/** Reads back what `writeExperienceFile` wrote; anything else fails naming `source` and the problem. */
export function parseExperienceFile(text: string, source = 'the experience file'): ExperienceFile {
  const fail = (why: string): never => {
    throw new UserError(
      `${source} is not a valid experience file: ${why}. Experience files start with a YAML front ` +
        'matter block (issue, repo, session_id, event, at) between two "---" lines; restore it from git.',
    );
  };
  const parts = splitFrontMatter(text) ?? fail('no front matter block found');
  const values: Record<string, unknown> = {};
  for (const line of parts.lines) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*):(.*)$/.exec(line);
    if (!match) return fail(`the line ${JSON.stringify(line)} is not "key: value"`);
    try {
      values[match[1] ?? ''] = parseScalar(match[2] ?? '');
    } catch {
      return fail(`the value of ${match[1] ?? ''} is not a valid quoted string`);
    }
  }
  const { issue, repo, session_id: sessionId, event, at, comment_url: commentUrl } = values;
  if (typeof issue !== 'number' || !Number.isSafeInteger(issue) || issue < 1)
    fail('issue is not an issue number');
  if (typeof repo !== 'string' || repo === '') fail('repo is missing');
  if (typeof sessionId !== 'string') fail('session_id is missing');
  if (!isEventType(event)) fail(`event ${JSON.stringify(event)} is not a journal event type`);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) fail('at is not an ISO-8601 time');
  if (commentUrl !== undefined && commentUrl !== null && typeof commentUrl !== 'string') {
    fail('comment_url is not a string');
  }
  const frontMatter: ExperienceFrontMatter = {
    issue: issue as number,
    repo: repo as string,
    session_id: sessionId as string,
    event: event as EventType,
    at: at as string,
  };
  if (typeof commentUrl === 'string') frontMatter.comment_url = commentUrl;
  const body = parts.body.startsWith('\n') ? parts.body.slice(1) : parts.body;
  return { frontMatter, message: body.endsWith('\n') ? body.slice(0, -1) : body };
}

/**
 * Adds or replaces `comment_url` once the event comment is published. Only that one front-matter
 * line changes (other keys, even unknown ones, stay as they are); the message is kept as is, with
 * CRLF line ends (a Windows checkout) read as LF.
 */
export async function setExperienceCommentUrl(root: string, relPath: string, url: string): Promise<void> {
  const file = resolveInsideRepository(root, relPath, EXPERIENCE_PATH);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (!isErrnoException(error, 'ENOENT')) throw error;
    throw new UserError(`The experience file ${relPath} does not exist, so its comment_url cannot be set.`);
  }
  parseExperienceFile(text, relPath);
  const parts = splitFrontMatter(text);
  if (!parts) throw new UserError(`${relPath} has no front matter block.`);
  const line = `comment_url: ${yamlString(url)}`;
  const at = parts.lines.findIndex((existing) => existing.startsWith('comment_url:'));
  const lines =
    at < 0 ? [...parts.lines, line] : parts.lines.map((existing, i) => (i === at ? line : existing));
  await writeFileAtomic(file, ['---', ...lines, '---', parts.body].join('\n'));
}
