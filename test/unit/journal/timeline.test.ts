import { describe, expect, it } from 'vitest';
import {
  findStatusMarker,
  formatDuration,
  mermaidText,
  recentEventOf,
  renderStatusComment,
  renderTimeline,
  timelineFromRecent,
  TIMELINE_DRAWN_LIMIT,
  type JournalEvent,
  type RecentEvent,
  type TimelineEvent,
} from '@trinity/core';

const THREAD = 'https://github.com/o/r/issues/506';

function life(): TimelineEvent[] {
  return [
    { type: 'sandbox_created', at: '2026-11-25T10:00:00Z', commentId: 11 },
    { type: 'deployment_started', at: '2026-11-25T10:00:05Z', commentId: 12, deploymentId: 'd1' },
    { type: 'deployment_succeeded', at: '2026-11-25T10:03:25Z', commentId: 13, deploymentId: 'd1' },
    { type: 'step_completed', at: '2026-11-25T10:05:00Z', commentId: 14, title: 'Wired the health check' },
    { type: 'deployment_started', at: '2026-11-25T11:00:00Z', commentId: 15, deploymentId: 'd2' },
    { type: 'build_failed', at: '2026-11-25T11:00:42Z', commentId: 16, deploymentId: 'd2' },
    { type: 'sandbox_destroyed', at: '2026-11-25T12:00:00Z', commentId: 17 },
  ];
}

/** The lines between the ```mermaid fence and its end. */
function diagram(markdown: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf('```mermaid');
  const end = lines.indexOf('```', start + 1);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return lines.slice(start + 1, end);
}

describe('renderTimeline', () => {
  it('draws created, each deployment with its duration and outcome, steps and destroyed, in order', () => {
    const markdown = renderTimeline(life(), { threadUrl: THREAD });
    const lines = diagram(markdown);
    expect(lines[0]).toBe('flowchart TD');
    expect(lines).toContain('  e1["1. 🚀 sandbox created<br/>2026-11-25 10:00"]');
    expect(lines).toContain('  e3["3. ✅ deployment succeeded<br/>2026-11-25 10:03 · took 3 min 20 s"]');
    expect(lines).toContain('  e4["4. 📝 step Wired the health check<br/>2026-11-25 10:05"]');
    expect(lines).toContain('  e6["6. ❌ build failed<br/>2026-11-25 11:00 · took 42 s"]');
    expect(lines).toContain('  e7["7. 🧹 sandbox destroyed<br/>2026-11-25 12:00"]');
    expect(lines).toContain('  e1 --> e2 --> e3 --> e4 --> e5 --> e6 --> e7');
    expect(lines).toContain('  class e1,e3 ok');
    expect(lines).toContain('  class e6 bad');
    // Mermaid's click links are not rendered on GitHub: the links are a numbered list under the picture.
    expect(markdown).toContain(`[1](${THREAD}#issuecomment-11) · [2](${THREAD}#issuecomment-12)`);
    expect(markdown).toContain(`[7](${THREAD}#issuecomment-17)</sub>`);
  });

  it('numbers the events by their points when all drawn have one, as drawn when one lacks it', () => {
    const pointed = life().map((event, i) => ({ ...event, n: i + 40 }));
    const lines = diagram(renderTimeline(pointed, { threadUrl: THREAD }));
    expect(lines).toContain('  e1["40. 🚀 sandbox created<br/>2026-11-25 10:00"]');
    expect(lines).toContain('  e7["46. 🧹 sandbox destroyed<br/>2026-11-25 12:00"]');
    // An entry recorded before points existed: the picture cannot know the others' places.
    const mixed = pointed.map((event, i) => (i === 0 ? { ...event, n: undefined } : event));
    expect(diagram(renderTimeline(mixed, { threadUrl: THREAD }))).toContain(
      '  e7["7. 🧹 sandbox destroyed<br/>2026-11-25 12:00"]',
    );
  });

  it(`draws at most ${TIMELINE_DRAWN_LIMIT} events and sums up the earlier ones`, () => {
    const many: TimelineEvent[] = Array.from({ length: 33 }, (_, i) => ({
      type: 'step_completed',
      at: `2026-11-25T10:${String(i).padStart(2, '0')}:00Z`,
      commentId: 100 + i,
    }));
    const lines = diagram(renderTimeline(many, { threadUrl: THREAD }));
    expect(lines).toContain('  more["… and 13 earlier events"]');
    expect(lines.filter((line) => /^ {2}e\d+\["/.test(line))).toHaveLength(TIMELINE_DRAWN_LIMIT);
    // The first drawn is the 14th event (comment 113), numbered 1.
    expect(lines).toContain('  e1["1. 📝 step<br/>2026-11-25 10:13"]');
    expect(lines.find((line) => line.includes('-->'))).toMatch(/^ {2}more --> e1 --> e2 .* --> e20$/);
  });

  it('pairs an outcome with its own start, not with another deployment started in between', () => {
    const lines = diagram(
      renderTimeline([
        { type: 'deployment_started', at: '2026-11-25T10:00:00Z', deploymentId: 'a' },
        { type: 'deployment_started', at: '2026-11-25T10:10:00Z', deploymentId: 'b' },
        { type: 'deployment_failed', at: '2026-11-25T10:11:00Z', deploymentId: 'a' },
        { type: 'deployment_succeeded', at: '2026-11-25T12:12:00Z', deploymentId: 'c' },
      ]),
    );
    expect(lines).toContain('  e3["3. 💥 deployment failed<br/>2026-11-25 10:11 · took 11 min"]');
    // No start known for c: no duration, rather than a wrong one.
    expect(lines).toContain('  e4["4. ✅ deployment succeeded<br/>2026-11-25 12:12"]');
  });

  it('is empty without events', () => {
    expect(renderTimeline([])).toBe('');
  });

  it.each([
    ['quotes and brackets', 'a"] --> x[pwned'],
    ['a newline and a fence', 'line\n```\n## heading'],
    ['HTML', '<img src=x onerror=alert(1)><script>x</script>'],
    ['Mermaid syntax', '%%{init: {"theme":"dark"}}%% click e1 "javascript:alert(1)"'],
    ['entities and pipes', '#quot; |edge| ; & `code`'],
  ])('keeps hostile step titles inside their label: %s', (_, title) => {
    const markdown = renderTimeline([{ type: 'step_completed', at: '2026-11-25T10:00:00Z', title }]);
    const lines = diagram(markdown);
    // flowchart, one node, three classDefs: the title added no line, no fence, no click, no tag.
    expect(lines).toHaveLength(5);
    const node = lines[1] ?? '';
    expect(node).toMatch(/^ {2}e1\["1\. 📝 step [^"]*<br\/>2026-11-25 10:00"\]$/);
    const label = node.slice('  e1["'.length, -'"]'.length).replace('<br/>', '');
    expect(label).not.toMatch(/["<>`[\]{}|\n]/);
    expect(markdown.match(/```/g)).toHaveLength(2);
  });
});

describe('mermaidText', () => {
  it('passes plain text and escapes the rest as Mermaid entity codes', () => {
    expect(mermaidText('Fixed the login (v2): 100% done!')).toBe('Fixed the login (v2): 100#37; done!');
    expect(mermaidText('say "hi" [now]')).toBe('say #34;hi#34; #91;now#93;');
    expect(mermaidText('a<b>c')).toBe('a‹b›c');
    expect(mermaidText('two\nlines\u2028here')).toBe('two lines here');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [59_400, '59 s'],
    [60_000, '1 min'],
    [200_000, '3 min 20 s'],
    [3_600_000, '1 h'],
    [5_460_000, '1 h 31 min'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('the picture in the status comment', () => {
  const event = (over: Partial<JournalEvent>): JournalEvent => ({
    type: 'step_completed',
    issue: 506,
    key: 'k',
    at: '2026-11-25T10:00:00Z',
    repo: 'o/r',
    ...over,
  });

  it('is drawn from the marker’s recent events alone, and the marker keeps what it needs', () => {
    const recent: RecentEvent[] = life().map((entry, i) =>
      recentEventOf(
        event({
          type: entry.type,
          key: `k${i}`,
          at: entry.at,
          ...(entry.deploymentId ? { deployment: { id: entry.deploymentId } } : {}),
          ...(entry.title ? { message: `## ${entry.title}\n\nmore` } : {}),
        }),
        entry.commentId ?? 0,
      ),
    );
    const body = renderStatusComment({
      issue: 506,
      repo: 'o/r',
      state: 'destroyed',
      updatedAt: '2026-11-25T12:00:00Z',
      lastEvent: {
        type: 'sandbox_destroyed',
        at: '2026-11-25T12:00:00Z',
        commentUrl: `${THREAD}#issuecomment-17`,
      },
      recentEvents: recent,
    });
    expect(body).toContain(renderTimeline(life(), { threadUrl: THREAD }));
    const marker = findStatusMarker(body);
    expect(timelineFromRecent(marker?.recent_events ?? [])).toEqual(life());
  });

  it('redacts a secret in a step title, in the picture and in the marker', () => {
    const body = renderStatusComment(
      {
        issue: 506,
        repo: 'o/r',
        state: 'live',
        updatedAt: '2026-11-25T12:00:00Z',
        recentEvents: [recentEventOf(event({ message: 'token is s3cr3t-value-123' }), 5)],
      },
      { secrets: ['s3cr3t-value-123'] },
    );
    expect(body).not.toContain('s3cr3t-value-123');
    expect(findStatusMarker(body)?.recent_events?.[0]?.title).not.toContain('s3cr3t');
  });

  it('reads an older marker whose recent events have only key and comment id: nothing drawn from them', () => {
    const body = renderStatusComment({
      issue: 506,
      repo: 'o/r',
      state: 'live',
      updatedAt: '2026-11-25T12:00:00Z',
      recentEvents: [{ key: 'old', comment_id: 3 }],
    });
    expect(findStatusMarker(body)?.recent_events).toEqual([{ key: 'old', comment_id: 3 }]);
    expect(body).not.toContain('```mermaid');
  });

  it('stays far under GitHub’s body limit with the marker full and every title at its longest', () => {
    const recent = Array.from({ length: 80 }, (_, i) =>
      recentEventOf(
        event({
          key: `${'k'.repeat(60)}-${i}`,
          message: '"<>[]'.repeat(40),
          deployment: { id: 'd'.repeat(36) },
        }),
        1_000_000_000 + i,
      ),
    );
    const body = renderStatusComment({
      issue: 506,
      repo: 'o/r',
      state: 'live',
      updatedAt: '2026-11-25T12:00:00Z',
      lastEvent: {
        type: 'step_completed',
        at: '2026-11-25T12:00:00Z',
        commentUrl: `${THREAD}#issuecomment-1`,
      },
      recentEvents: recent,
    });
    expect(body.length).toBeLessThan(40_000);
    expect(body).toContain('… and 30 earlier events');
    expect(body).not.toContain('[truncated');
  });
});
