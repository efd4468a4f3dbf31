/**
 * Output helpers for the demo: colour only on a terminal (and never with NO_COLOR), headings,
 * aligned tables. Every line goes through one writer so the demo can guard what it prints.
 */

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const identity = (text: string): string => text;

export function createStyle(colour: boolean): Style {
  const sgr = (open: number, close: number) => (text: string) =>
    colour ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return colour
    ? {
        bold: sgr(1, 22),
        dim: sgr(2, 22),
        green: sgr(32, 39),
        red: sgr(31, 39),
        yellow: sgr(33, 39),
        cyan: sgr(36, 39),
      }
    : { bold: identity, dim: identity, green: identity, red: identity, yellow: identity, cyan: identity };
}

/** Colour when stdout is a terminal, unless NO_COLOR is set (https://no-color.org). */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '';
}

/** Visible width of a string: escape sequences do not count. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - visibleLength(text))) + text;
}

/**
 * Rows as aligned columns; `align` says which columns are numbers (right-aligned). The first row
 * is the header when `header` is true and gets a rule under it.
 */
export function table(
  rows: string[][],
  options: { header?: boolean; align?: Array<'left' | 'right'>; indent?: string; style?: Style } = {},
): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  const indent = options.indent ?? '  ';
  const lines: string[] = [];
  rows.forEach((row, r) => {
    const cells = row.map((cell, i) =>
      options.align?.[i] === 'right' ? padStart(cell, widths[i] ?? 0) : padEnd(cell, widths[i] ?? 0),
    );
    const line = (indent + cells.join('  ')).trimEnd();
    lines.push(r === 0 && options.header === true && options.style ? options.style.bold(line) : line);
    if (r === 0 && options.header === true) lines.push(indent + widths.map((w) => '─'.repeat(w)).join('  '));
  });
  return lines;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** `2026-11-25T02:04:40.514Z` → `2026-11-25 02:04:40 UTC` (milliseconds kept when present). */
export function humanTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(iso);
  return match === null ? iso : `${match[1]} ${match[2]}${match[3] ?? ''} UTC`;
}
