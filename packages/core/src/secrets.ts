/**
 * The one place that replaces known secret values in text. It sits beside errors.ts and logger.ts,
 * below every layer, so the Railway client (whose errors quote Railway's messages, which can echo a
 * variable's value), the journal (which posts and commits text) and the lifecycle (which collects a
 * sandbox's variables to redact its logs) all mask the same way: with the mask users see in issue
 * comments, and the same idea of which values are too short to be secrets.
 */

/** What a secret becomes, everywhere: in comments, committed files, errors and log lines. */
export const REDACTED = '[REDACTED]';

/**
 * Known secret values shorter than this are not redacted: `true`, `443` or `dev` would shred
 * ordinary text, and a value that short is not a meaningful secret anyway.
 */
export const MIN_SECRET_LENGTH = 4;

/** Whether a value is long enough to be treated as a secret. */
export function isSecretLength(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH;
}

/** The forms in which a secret value commonly shows up in logs and URLs. */
function secretForms(secret: string): string[] {
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  let encoded = secret;
  try {
    encoded = encodeURIComponent(secret);
  } catch {
    // A lone surrogate cannot be URL-encoded; the raw form is still redacted.
  }
  return [
    secret,
    encoded,
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(secret, 'utf8').toString('base64url'),
  ];
}

/**
 * Replaces every known secret value, and its URL-encoded and base64 forms, by `[REDACTED]`,
 * longest first so that a secret containing another is removed whole. Values that are too short,
 * or that occur inside the placeholder itself, are skipped (redacting them would never settle).
 */
export function redactKnownSecrets(text: string, secrets: Iterable<string> = []): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || !isSecretLength(secret)) continue;
    for (const form of secretForms(secret)) {
      if (isSecretLength(form) && !REDACTED.includes(form)) forms.add(form);
    }
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  let result = text;
  for (const form of ordered) result = result.split(form).join(REDACTED);
  return result;
}
