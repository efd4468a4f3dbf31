/**
 * An issue comment as a person reads it on GitHub, turned into plain text for a terminal: the hidden
 * marker summarised on one line, links as footnotes, `<details>` as an indented block, tables as
 * aligned columns, `<sub>` dimmed.
 */
import { findEventMarker, findStatusMarker } from '@trinity/core';
import { table, type Style } from './style.js';

const MARKER_LINE = /^<!-- trinity:(event|status) .* -->$/;
const ZERO_WIDTH_JOINER = '\u200d';

export interface RenderedComment {
  /** `[marker: event deployment_succeeded key=…]`, or undefined for a comment without a marker. */
  marker: string | undefined;
  lines: string[];
  /** Footnoted links, in order of first use. */
  links: string[];
  /** What GitHub would show as text that the product neutralised (mentions, comment openers). */
  neutralised: string[];
}

/** `[marker: event step_completed key=journal-1001-…]` or `[marker: status state=live …]`. */
export function summariseMarker(body: string): string | undefined {
  const event = findEventMarker(body);
  if (event !== undefined) return `[marker: event ${event.type} key=${event.key}]`;
  const status = findStatusMarker(body);
  if (status !== undefined) {
    const recent = status.recent_events?.length ?? 0;
    return `[marker: status state=${status.state}${status.last_event === undefined ? '' : ` last_event=${status.last_event}`} recent_events=${recent}]`;
  }
  return undefined;
}

export function renderComment(body: string, style: Style): RenderedComment {
  const links: string[] = [];
  const neutralised = findNeutralised(body);
  const inline = (text: string): string =>
    text
      .replaceAll(ZERO_WIDTH_JOINER, '')
      .replace(/\[([^\]]*)\]\((https?:[^)\s]+)\)/g, (_all, label: string, url: string) => {
        let n = links.indexOf(url);
        if (n === -1) n = links.push(url) - 1;
        return `${label} [${n + 1}]`;
      })
      .replace(/\*\*([^*]+)\*\*/g, (_all, bold: string) => style.bold(bold))
      .replace(/`([^`]*)`/g, '$1')
      .replace(/<sub>(.*)<\/sub>/g, (_all, small: string) => style.dim(small));

  const out: string[] = [];
  let indent = '';
  let pendingTable: string[][] = [];
  const flushTable = () => {
    if (pendingTable.length === 0) return;
    out.push(...table(pendingTable, { indent }));
    pendingTable = [];
  };
  const push = (line: string) => {
    flushTable();
    // No blank line at the start, after another one, or right under a `▸ summary`.
    if (line === '' && (out.length === 0 || out.at(-1) === '' || out.at(-1)?.trimStart().startsWith('▸')))
      return;
    out.push(line === '' ? '' : indent + line);
  };

  for (const raw of body.split('\n')) {
    const line = raw.trimEnd();
    if (MARKER_LINE.test(line)) continue;
    const details = /^<details>\s*<summary>(.*)<\/summary>\s*$/.exec(line);
    if (details !== null) {
      push(`▸ ${inline(details[1] ?? '')}`);
      indent += '    ';
      continue;
    }
    if (line === '</details>') {
      flushTable();
      indent = indent.slice(4);
      continue;
    }
    if (line.startsWith('|')) {
      const cells = line
        .replace(/^\|/, '')
        .replace(/\|$/, '')
        .split('|')
        .map((cell) => cell.trim());
      if (cells.every((cell) => /^:?-*:?$/.test(cell))) continue; // separator row or empty header
      pendingTable.push(cells.map(inline));
      continue;
    }
    push(inline(line));
  }
  flushTable();
  while (out.at(-1) === '') out.pop();
  return { marker: summariseMarker(body), lines: out, links, neutralised };
}

/** The places where the publisher defused user text: `@\u200dname`, `<\u200d!`, `--\u200d>`. */
function findNeutralised(body: string): string[] {
  const found: string[] = [];
  for (const match of body.matchAll(/@\u200d([A-Za-z0-9-]+)/g))
    found.push(`@${match[1] ?? ''} is shown as text and notifies no one`);
  if (/<\u200d!|--\u200d>/.test(body)) found.push('an HTML comment in the message cannot hide text');
  return [...new Set(found)];
}
