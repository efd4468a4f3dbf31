/**
 * GitHub refuses a comment body over 65,536 characters with a 422. We measure in UTF-16 code
 * units (JavaScript's `length`), which is never less than GitHub's count of characters, so a
 * body within the limit here is within it there.
 */
export const GITHUB_BODY_LIMIT = 65_536;

export function truncationNote(omitted: number): string {
  return `… (truncated: ${omitted} characters omitted; the full text is in the workflow run's logs)`;
}

const LEADING_MARKER = /^<!-- trinity:(?:event|status) [^\n]*? -->(?:\n|$)/;
const TRAILING_MARKER = /\n<!-- trinity:(?:event|status) [^\n]*? -->\n?$/;

/** A cut no further back than this from the budget goes to the previous line break. */
const LINE_BOUNDARY_SLACK = 2_000;

function chooseCut(text: string, budget: number): number {
  let cut = Math.max(0, Math.min(budget, text.length));
  const newline = text.lastIndexOf('\n', cut);
  if (newline >= 0 && newline <= cut && cut - newline <= LINE_BOUNDARY_SLACK) cut = newline;
  // Never keep the first half of a surrogate pair.
  const last = text.charCodeAt(cut - 1);
  if (cut > 0 && last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return cut;
}

/**
 * What must be appended so the kept text renders like the rest of the comment: a code fence left
 * open would swallow the note as code, and an open `<details>` would hide it.
 */
export function closeOpenBlocks(text: string): string {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!fence) continue;
    const [, marker = '', rest = ''] = fence;
    if (open === undefined) open = marker;
    else if (marker[0] === open[0] && marker.length >= open.length && rest.trim() === '') open = undefined;
  }
  let closers = open === undefined ? '' : `\n${open}`;
  const opened = text.match(/<details\b/gi)?.length ?? 0;
  const closed = text.match(/<\/details>/gi)?.length ?? 0;
  for (let i = closed; i < opened; i += 1) closers += '\n</details>';
  return closers;
}

/**
 * Keeps `body` within `limit`. A marker on the first or last line is kept whole, so the comment
 * stays findable; the rest is cut on a line boundary where one is near, open blocks are closed,
 * and a visible note says how much was left out.
 */
export function truncateBody(body: string, limit: number = GITHUB_BODY_LIMIT): string {
  if (body.length <= limit) return body;
  const head = LEADING_MARKER.exec(body)?.[0] ?? '';
  const rest = body.slice(head.length);
  const tail = TRAILING_MARKER.exec(rest)?.[0] ?? '';
  const middle = rest.slice(0, rest.length - tail.length);
  // Room for the note with the largest count it can show.
  let budget = limit - head.length - tail.length - truncationNote(middle.length).length - 2;
  for (let attempt = 0; attempt < 8 && budget > 0; attempt += 1) {
    const cut = chooseCut(middle, budget);
    const kept = middle.slice(0, cut);
    const result = `${head}${kept}${closeOpenBlocks(kept)}\n\n${truncationNote(middle.length - cut)}${tail}`;
    if (result.length <= limit) return result;
    budget -= result.length - limit;
  }
  // Only reached with a limit too small for the markers themselves: a plain, pair-safe cut.
  return body.slice(0, chooseCut(body, limit));
}
