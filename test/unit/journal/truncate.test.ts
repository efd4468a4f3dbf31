import { describe, expect, it } from 'vitest';
import {
  GITHUB_BODY_LIMIT,
  closeOpenBlocks,
  findEventKey,
  renderEventMarker,
  truncateBody,
} from '../../../packages/core/src/journal/index.js';

const marker = renderEventMarker({ type: 'step_completed', issue: 506, key: 'k-1', at: 'T' });

function hasBrokenSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

describe('truncateBody', () => {
  it('returns a body within the limit unchanged', () => {
    expect(truncateBody(`${marker}\nhello`)).toBe(`${marker}\nhello`);
  });

  it('cuts on a line boundary, keeps the leading marker and says how much was omitted', () => {
    const body = `${marker}\n${'line of text\n'.repeat(100)}`;
    const result = truncateBody(body, 600);
    expect(result.length).toBeLessThanOrEqual(600);
    expect(result.startsWith(`${marker}\n`)).toBe(true);
    const kept = result.slice(marker.length + 1).split('\n\n…')[0] ?? '';
    expect(kept.split('\n').every((line) => line === 'line of text')).toBe(true);
    const omitted = Number(/truncated: (\d+) characters omitted/.exec(result)?.[1]);
    expect(omitted).toBe(body.length - marker.length - 1 - kept.length);
    expect(result).toContain("the full text is in the workflow run's logs");
  });

  it('keeps a trailing marker too', () => {
    const result = truncateBody(`${'x'.repeat(5_000)}\n${marker}\n`, 1_000);
    expect(result.length).toBeLessThanOrEqual(1_000);
    expect(result.endsWith(`${marker}\n`)).toBe(true);
    expect(findEventKey(result)).toBe('k-1');
  });

  it('never splits a surrogate pair', () => {
    for (const limit of [501, 502, 503, 504]) {
      const result = truncateBody(`${marker}\n${'😀'.repeat(1_000)}`, limit);
      expect(result.length).toBeLessThanOrEqual(limit);
      expect(hasBrokenSurrogate(result)).toBe(false);
    }
  });

  it('closes a code fence and a <details> block it cut through', () => {
    const body = `${marker}\n<details><summary>s</summary>\n\n\`\`\`\`text\n${'log\n'.repeat(2_000)}\`\`\`\`\n</details>\n`;
    const result = truncateBody(body, 1_000);
    expect(result.length).toBeLessThanOrEqual(1_000);
    expect(result).toMatch(/\n````\n<\/details>\n\n… \(truncated: /);
  });

  it('uses the GitHub limit by default', () => {
    const result = truncateBody(`${marker}\n${'a'.repeat(200_000)}`);
    expect(result.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(result.length).toBeGreaterThan(GITHUB_BODY_LIMIT - 200);
  });
});

describe('closeOpenBlocks', () => {
  it('adds nothing to balanced text', () => {
    expect(closeOpenBlocks('```\ncode\n```\n<details>\n</details>')).toBe('');
    expect(closeOpenBlocks('~~~~\n```\n')).toBe('\n~~~~');
  });
});
