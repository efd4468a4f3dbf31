import { describe, expect, it } from 'vitest';
import {
  eventKey,
  findEventKey,
  findStatusMarker,
  parseMarkers,
  renderEventMarker,
  renderStatusMarker,
} from '../../../packages/core/src/journal/index.js';

describe('eventKey', () => {
  it('builds run keys and step keys', () => {
    expect(eventKey({ runId: 123, attempt: 2, action: 'deploy' })).toBe('123-2-deploy');
    expect(eventKey({ sessionId: 'abc', sequence: 7 })).toBe('abc-7');
    expect(eventKey({ runId: '9', attempt: 1, action: 'deploy result' })).toBe('9-1-deploy_result');
  });

  it('refuses an empty part', () => {
    expect(() => eventKey({ sessionId: ' ', sequence: 1 })).toThrow(/every part/);
  });
});

describe('markers', () => {
  it('renders the documented event marker and reads it back', () => {
    const marker = renderEventMarker({
      type: 'deployment_succeeded',
      issue: 506,
      key: '1-1-deploy',
      at: 'T',
    });
    expect(marker).toBe(
      '<!-- trinity:event {"v":1,"type":"deployment_succeeded","issue":506,"key":"1-1-deploy","at":"T"} -->',
    );
    expect(parseMarkers(`text\n${marker}\nmore`)).toEqual([
      {
        kind: 'event',
        marker: { v: 1, type: 'deployment_succeeded', issue: 506, key: '1-1-deploy', at: 'T' },
      },
    ]);
  });

  it('keeps hostile keys on one line and inside the comment', () => {
    const key = 'a --> b\n<!-- c \u2028 "d"';
    const marker = renderEventMarker({ type: 'step_completed', issue: 1, key, at: 'T' });
    expect(marker).not.toMatch(/\n|\u2028/);
    expect(marker.slice(4, -3)).not.toMatch(/-->|<!--/);
    expect(findEventKey(marker)).toBe(key);
  });

  it('renders and parses the status marker with optional fields in a fixed order', () => {
    const marker = renderStatusMarker({
      url: 'https://x.up.railway.app',
      issue: 506,
      state: 'live',
      updated_at: 'T',
      service_id: 's',
      last_event: 'deployment_succeeded',
    });
    expect(marker).toBe(
      '<!-- trinity:status {"v":1,"issue":506,"state":"live","updated_at":"T","service_id":"s",' +
        '"url":"https://x.up.railway.app","last_event":"deployment_succeeded"} -->',
    );
    expect(findStatusMarker(marker)).toMatchObject({ issue: 506, state: 'live', service_id: 's' });
  });

  it('ignores malformed, unknown-version and invalid markers', () => {
    const body = [
      '<!-- trinity:event {not json} -->',
      '<!-- trinity:event {"v":2,"type":"sandbox_created","issue":1,"key":"k","at":"T"} -->',
      '<!-- trinity:event {"v":1,"type":"nope","issue":1,"key":"k","at":"T"} -->',
      '<!-- trinity:event {"v":1,"type":"sandbox_created","issue":0,"key":"k","at":"T"} -->',
      '<!-- trinity:status {"v":1,"issue":5,"state":"weird","updated_at":"T"} -->',
      '<!-- trinity:status {"v":1,"issue":5,"state":"failed","updated_at":"T","url":7} -->',
    ].join('\n');
    expect(parseMarkers(body)).toEqual([
      { kind: 'status', marker: { v: 1, issue: 5, state: 'failed', updated_at: 'T' } },
    ]);
    expect(findEventKey(body)).toBeUndefined();
    expect(findEventKey('no marker here')).toBeUndefined();
  });

  it('refuses to render a marker for a non-issue', () => {
    expect(() => renderEventMarker({ type: 'sandbox_created', issue: -1, key: 'k', at: 'T' })).toThrow(
      TypeError,
    );
  });
});
