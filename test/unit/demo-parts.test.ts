/** The demo's writer and checks, apart from the story (test/e2e/demo.test.ts plays the whole demo). */
import { describe, expect, it } from 'vitest';
import { type EventType, renderEventMarker } from '@trinity/core';
import { PASTED_SECRET } from '../../scripts/demo/cast.js';
import { checkStory } from '../../scripts/demo/checks.js';
import { EXPECTED_EVENTS } from '../../scripts/demo/expected.js';
import { createOutput } from '../../scripts/demo/output.js';
import type { Story } from '../../scripts/demo/story.js';
import { createStyle } from '../../scripts/demo/style.js';
import type { World } from '../support/e2e-world.js';

function recordingOutput(secrets: string[] = []) {
  const written: string[] = [];
  const out = createOutput({
    style: createStyle(false),
    secrets,
    quiet: false,
    write: (text) => written.push(text),
  });
  return { out, written };
}

/** Just the parts of the e2e world the checks read: the thread, the files, Railway's services. */
function fakeWorld(options: {
  events: readonly EventType[];
  services?: number;
  files?: Record<string, string>;
}) {
  const comments = options.events.map((type, id) => ({
    id,
    body: `${type}\n${renderEventMarker({ type, issue: 1, key: `k${id}`, at: '2026-01-01T00:00:00Z' })}`,
  }));
  return {
    repo: 'o/r',
    issue: 1,
    projectId: 'p',
    github: { repo: () => ({ comments: () => comments, readFile: (path: string) => options.files?.[path] }) },
    railway: { state: { services: () => Array.from({ length: options.services ?? 0 }, () => ({})) } },
  } as unknown as World;
}

const story = (overrides: Partial<Story> = {}): Story => ({
  author: 'octocat',
  steps: [],
  experienceFiles: [],
  workingCopy: undefined,
  commentsBeforeClose: undefined,
  failure: undefined,
  ...overrides,
});

describe('the demo writer', () => {
  it('prints a line with a secret replaced, and remembers it was asked to', () => {
    const { out, written } = recordingOutput(['s3cret']);
    out.say('plain');
    expect(out.secretPrinted()).toBe(false);
    out.say('token s3cret here');
    expect(written).toEqual(['plain\n', 'token [a secret the demo refused to print] here\n']);
    expect(out.secretPrinted()).toBe(true);
  });

  it('draws headings to a fixed width with a blank line either side', () => {
    const { out, written } = recordingOutput();
    out.heading('Labels');
    expect(written).toEqual(['\n', `━━ Labels ${'━'.repeat(68)}\n`, '\n']);
  });
});

describe('the demo checks', () => {
  it('pass when the thread holds the expected events and Railway is empty', () => {
    expect(checkStory(fakeWorld({ events: EXPECTED_EVENTS }), story(), false)).toEqual([]);
  });

  it('name a thread whose events differ, a service left behind, a leaked token and a refused secret', () => {
    const world = fakeWorld({
      events: EXPECTED_EVENTS.slice(0, -1),
      services: 1,
      files: { 'e.md': `pasted ${PASTED_SECRET}` },
    });
    expect(checkStory(world, story({ experienceFiles: ['e.md'] }), true)).toEqual([
      `the thread's events are ${EXPECTED_EVENTS.slice(0, -1).join(', ')}; expected ${EXPECTED_EVENTS.join(', ')}`,
      '1 Railway service(s) left after destroy',
      'the pasted token reached the thread or an experience file',
      'a secret was about to be printed (it was not)',
    ]);
  });

  it('report the step that stopped the story instead of the thread it left', () => {
    const problems = checkStory(
      fakeWorld({ events: [] }),
      story({ failure: 'deploy-sandbox: exited with 1' }),
      false,
    );
    expect(problems).toEqual(['deploy-sandbox: exited with 1']);
  });
});
