/**
 * Text from users, agents and logs is made safe here before anything is posted to an issue or
 * committed (docs/formats.md, 'Issue comments'; docs/actions.md, 'Security'). Each rule is a
 * separate exported function so it can be tested alone; `makeSafe` runs them in the one order that
 * makes the whole pipeline idempotent (`makeSafe(makeSafe(x)) === makeSafe(x)`), so text that went
 * through it once can go through it again without piling up escapes.
 */

import { REDACTED, redactKnownSecrets } from '../secrets.js';

// Redacting known secret values is shared with the Railway client and the lifecycle (secrets.ts).
export { MIN_SECRET_LENGTH, REDACTED, redactKnownSecrets } from '../secrets.js';

/**
 * Inserted after `@` (and inside `<!` / `-->`): invisible in rendered Markdown and in code
 * blocks, and enough to stop GitHub's mention and HTML-comment parsing. Chosen over backticks
 * because backticks change how the text renders and nest badly inside code spans and fences.
 */
export const ZERO_WIDTH_JOINER = '\u200d';

export interface SafeTextOptions {
  /** Every secret value the caller knows (tokens, `variables` values, …). */
  secrets?: Iterable<string>;
}

/*
 * ANSI colour and cursor sequences (Railway's logs are full of them) are removed whole, so that
 * dropping the ESC byte does not leave `[32m` behind. Then C0/C1 controls except \n and \t, and the
 * bidirectional overrides that can make text read differently from what it is ("Trojan Source").
 * \r\n and lone \r (progress bars) become \n.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function dropControlCharacters(text: string): string {
  return dropZeroWidthCharacters(
    text.replace(ANSI_SEQUENCE, '').replace(/\r\n?/g, '\n').replace(CONTROL, ''),
  );
}

/*
 * Invisible characters users can hide text with (`ad\u200bmin`, `@\u200buser` that looks like a
 * mention, a BOM in the middle of a marker). They are removed before `neutraliseMentions` and
 * `escapeMarkerSequences` put their own U+200D back, which keeps the pipeline idempotent. The
 * joiners U+200C and U+200D are kept between two non-ASCII characters, where scripts (Persian,
 * Indic) and emoji sequences (👩‍💻) need them; next to ASCII or at an edge they only hide things.
 */
const ALWAYS_INVISIBLE = /[\u200b\u2060\ufeff\u180e]/g;
const STRAY_JOINER = /(?<!\P{ASCII})[\u200c\u200d]|[\u200c\u200d](?!\P{ASCII})/gu;

export function dropZeroWidthCharacters(text: string): string {
  return text.replace(ALWAYS_INVISIBLE, '').replace(STRAY_JOINER, '');
}

/*
 * Token shapes redacted even when nobody told us the value. Header patterns keep the header name
 * so a reader still sees what was sent; URL credentials keep the user and redact the password.
 */
const TOKEN_PATTERNS: readonly (readonly [RegExp, string])[] = [
  // A PEM private key, also one cut short by a log tail (no END line).
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, REDACTED],
  [
    /(\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token|digest)\s+)?[^\s"',;]+/gi,
    `$1${REDACTED}`,
  ],
  [/(\b(?:project-access-token|x-api-key)["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, `$1${REDACTED}`],
  [/(\bbearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1${REDACTED}`],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, REDACTED],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
  [/(\baws_secret_access_key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}/gi, `$1${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\bnpm_[A-Za-z0-9]{36}\b/g, REDACTED],
  // scheme://user:password@host — greedy to the last `@` of the authority, so a password that
  // contains `@` is removed whole.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]+:)[^\s/?#]+@/gi, `$1${REDACTED}@`],
];

export function redactTokenShapes(text: string): string {
  let result = text;
  for (const [pattern, replacement] of TOKEN_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/**
 * `@user` and `@org/team` get a zero-width joiner after the `@`, so nobody is pinged. An `@`
 * preceded by a letter, digit or one of `_ . + - /` is left alone: that keeps e-mail addresses
 * and URLs such as `https://medium.com/@someone` intact (GitHub does not mention there either);
 * so is one after `]`, which keeps `https://user:[REDACTED]@host` a working URL.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/(?<![A-Za-z0-9_.+\-/\]])@(?=[A-Za-z0-9])/g, `@${ZERO_WIDTH_JOINER}`);
}

/**
 * Breaks `<!` (so user text can neither open an HTML comment that hides the rest of a comment nor
 * forge a `<!-- trinity:… -->` marker) and `-->` / `--!>` (so it cannot close one).
 */
export function escapeMarkerSequences(text: string): string {
  return text.replace(/<!/g, `<${ZERO_WIDTH_JOINER}!`).replace(/--(!?)>/g, `--${ZERO_WIDTH_JOINER}$1>`);
}

/** Tags whose missing end tag would swallow the rest of a comment (footer, run link) into them. */
const ENCLOSING_TAG = /<(\/?)(details|summary|pre|textarea|table|div|blockquote)\b[^>]*>/gi;

/**
 * User Markdown is posted as it is, but its block HTML is balanced: an end tag with nothing to
 * close is shown as text, and a tag left open is closed at the end of the text, so a `<details>`
 * without `</details>` cannot fold away what the comment says after it. Idempotent.
 */
export function balanceHtmlBlocks(text: string): string {
  const open: string[] = [];
  const balanced = text.replace(ENCLOSING_TAG, (whole: string, slash: string, name: string) => {
    const tag = name.toLowerCase();
    if (slash === '') {
      open.push(tag);
      return whole;
    }
    const at = open.lastIndexOf(tag);
    if (at === -1) return `&lt;${whole.slice(1)}`;
    // Closing an outer tag closes those opened inside it, as HTML's parser does.
    open.length = at;
    return whole;
  });
  if (open.length === 0) return balanced;
  return `${balanced}\n\n${open
    .reverse()
    .map((tag) => `</${tag}>`)
    .join('\n')}`;
}

/** Controls dropped and secrets redacted: for text committed to the repository. */
export function redactText(text: string, options: SafeTextOptions = {}): string {
  return redactTokenShapes(redactKnownSecrets(dropControlCharacters(text), options.secrets));
}

/** Everything above, for text posted to an issue. */
export function makeSafe(text: string, options: SafeTextOptions = {}): string {
  return escapeMarkerSequences(neutraliseMentions(redactText(text, options)));
}
