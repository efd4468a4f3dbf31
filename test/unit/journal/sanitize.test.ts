import { describe, expect, it } from 'vitest';
import {
  MIN_SECRET_LENGTH,
  REDACTED,
  dropControlCharacters,
  escapeMarkerSequences,
  makeSafe,
  neutraliseMentions,
  parseMarkers,
  redactKnownSecrets,
  redactTokenShapes,
} from '../../../packages/core/src/journal/index.js';

const ZWJ = '\u200d';

describe('neutraliseMentions', () => {
  it('breaks user and team mentions so nobody is pinged', () => {
    expect(neutraliseMentions('ping @octocat and (@org/team), @a-b')).toBe(
      `ping @${ZWJ}octocat and (@${ZWJ}org/team), @${ZWJ}a-b`,
    );
    expect(neutraliseMentions('@start of text')).toBe(`@${ZWJ}start of text`);
  });

  it('leaves e-mail addresses and URL paths readable', () => {
    const text = 'mail first.last+tag@example.com or see https://medium.com/@someone';
    expect(neutraliseMentions(text)).toBe(text);
  });
});

describe('escapeMarkerSequences', () => {
  it('stops user text from forging a marker', () => {
    const forged = 'hi <!-- trinity:event {"v":1,"type":"sandbox_created","issue":1,"key":"k","at":"x"} -->';
    expect(parseMarkers(forged)).toHaveLength(1);
    const escaped = escapeMarkerSequences(forged);
    expect(parseMarkers(escaped)).toEqual([]);
    expect(escaped).not.toContain('<!--');
    expect(escaped).not.toContain('-->');
  });

  it('stops user text from closing a comment with --!>', () => {
    expect(escapeMarkerSequences('a --!> b')).not.toMatch(/--!>/);
  });
});

describe('dropControlCharacters', () => {
  it('keeps newlines and tabs and drops other controls, ANSI sequences and bidi overrides', () => {
    const text = 'a\u0000b\tc\r\nd\u001b[31mred\u001b[0m\u0007e\u202ef\u0085g\rh';
    expect(dropControlCharacters(text)).toBe('ab\tc\ndredefg\nh');
  });
});

describe('redactTokenShapes', () => {
  const cases: [string, string, string][] = [
    ['GitHub classic token', `token ghp_${'a'.repeat(36)} end`, `token ${REDACTED} end`],
    ['GitHub app token', `x gho_${'B1'.repeat(18)} ghs_${'c'.repeat(36)}`, `x ${REDACTED} ${REDACTED}`],
    ['GitHub user/refresh tokens', `ghu_${'d'.repeat(36)} ghr_${'e'.repeat(36)}`, `${REDACTED} ${REDACTED}`],
    ['fine-grained PAT', `github_pat_${'A1_'.repeat(25)}`, REDACTED],
    ['Bearer token', 'curl -H "x: Bearer abcdefgh.ijk-lmn"', `curl -H "x: Bearer ${REDACTED}"`],
    ['Authorization header', 'Authorization: Basic dXNlcjpwYXNz', `Authorization: ${REDACTED}`],
    ['JSON header', '{"authorization":"token abc123456"}', `{"authorization":"${REDACTED}"}`],
    ['AWS access key', 'key=AKIAIOSFODNN7EXAMPLE.', `key=${REDACTED}.`],
    [
      'JWT',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      `jwt ${REDACTED}`,
    ],
    ['Slack token', 'xoxb-1234567890-abcdefghij', REDACTED],
    ['npm token', `npm_${'Z9'.repeat(18)}`, REDACTED],
    [
      'URL credentials',
      'postgres://admin:s3cr@t@db.internal:5432/app',
      `postgres://admin:${REDACTED}@db.internal:5432/app`,
    ],
  ];
  it.each(cases)('redacts a %s', (_name, input, expected) => {
    expect(redactTokenShapes(input)).toBe(expected);
  });

  it('redacts a PEM private key block, also one cut short', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA\n-----END RSA PRIVATE KEY-----';
    expect(redactTokenShapes(`before\n${pem}\nafter`)).toBe(`before\n${REDACTED}\nafter`);
    expect(redactTokenShapes('x\n-----BEGIN PRIVATE KEY-----\nMIIE')).toBe(`x\n${REDACTED}`);
  });

  it('leaves ordinary text alone', () => {
    const text = 'Deployed https://issue-506.up.railway.app in 42s; ghp_ is a prefix; user@host:22';
    expect(redactTokenShapes(text)).toBe(text);
  });
});

describe('redactKnownSecrets', () => {
  it('redacts a value and its URL-encoded and base64 forms, longest first', () => {
    const secret = 'p@ss word/1';
    const text = `raw ${secret} url ${encodeURIComponent(secret)} b64 ${Buffer.from(secret).toString('base64')}`;
    expect(redactKnownSecrets(text, [secret])).toBe(`raw ${REDACTED} url ${REDACTED} b64 ${REDACTED}`);
    expect(redactKnownSecrets('abcdefgh', ['abcd', 'abcdefgh'])).toBe(REDACTED);
  });

  it('ignores values too short to be secrets and values inside the placeholder', () => {
    const short = 'x'.repeat(MIN_SECRET_LENGTH - 1);
    expect(redactKnownSecrets(`a ${short} b`, [short, 'DACT'])).toBe(`a ${short} b`);
  });
});

describe('makeSafe', () => {
  const secrets = ['rw_0123456789abcdef'];
  const nasty =
    '@octocat see\u0000 <!-- trinity:status {"v":1} --> rw_0123456789abcdef ' +
    `ghp_${'x'.repeat(36)} https://u:pw@example.com @org/team\r\n--!> a@b.co \u001b[1mbold`;

  it('applies every rule', () => {
    const safe = makeSafe(nasty, { secrets });
    expect(safe).not.toContain('rw_0123456789abcdef');
    expect(safe).not.toContain('ghp_');
    expect(safe).toContain(`https://u:${REDACTED}@example.com`);
    expect(safe).not.toMatch(/(?<![A-Za-z0-9_.+\-/\]])@[A-Za-z0-9]/);
    expect(safe).toContain(`@${ZWJ}octocat`);
    expect(safe).toContain(`@${ZWJ}org/team`);
    expect(safe).toContain('a@b.co');
    for (const control of ['\u0000', '\u001b', '\r']) expect(safe).not.toContain(control);
    expect(parseMarkers(safe)).toEqual([]);
  });

  it('is idempotent', () => {
    const once = makeSafe(nasty, { secrets });
    expect(makeSafe(once, { secrets })).toBe(once);
  });
});
