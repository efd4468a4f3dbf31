import { describe, expect, it } from 'vitest';
import {
  createGitHubClient,
  createPublisher,
  findEventKey,
  findEventMarker,
  statusOf,
  findStatusMarker,
  type JournalEvent,
  type PublishRequest,
} from '@trinity/core';
import { REPO, gitHubPerTest } from '../support/github.js';

const gh = gitHubPerTest();

function newPublisher() {
  return createPublisher({ octokit: gh.octokit, owner: 'octo-org', repo: 'sandbox-demo', logger: gh.logger });
}

function step(n: number, overrides: Partial<JournalEvent> = {}): JournalEvent {
  return {
    type: 'step_completed',
    issue: 7,
    key: `session-1-${n}`,
    at: `2026-11-25T10:00:0${n % 10}Z`,
    repo: REPO,
    message: `Step ${n}: ran the tests`,
    ...overrides,
  };
}

function request(
  event: JournalEvent,
  statusCommentId?: number,
  state: PublishRequest['status']['state'] = 'live',
): PublishRequest {
  return {
    event,
    status: { issue: 7, repo: REPO, state, updatedAt: event.at, service: { id: 'svc-1', name: 'issue-7' } },
    statusCommentId,
    secrets: ['hunter2-secret'],
  };
}

describe('publisher against the GitHub emulator', () => {
  it('posts the event, creates one status comment, and labels the issue', async () => {
    const publisher = newPublisher();
    const result = await publisher.publish(
      request(step(1, { message: 'token hunter2-secret, ping @octocat' })),
    );

    const comments = gh.emulator.repo(REPO).comments(7);
    expect(comments).toHaveLength(2);
    const [event, status] = comments;
    expect(findEventKey(event?.body ?? '')).toBe('session-1-1');
    expect(event?.body).not.toContain('hunter2-secret');
    expect(event?.body).not.toMatch(/(^|\s)@octocat/);
    expect(findStatusMarker(status?.body ?? '')).toMatchObject({
      issue: 7,
      state: 'live',
      last_event: 'step_completed',
    });
    expect(result).toMatchObject({
      alreadyPublished: false,
      commentId: event?.id,
      statusCommentId: status?.id,
    });
    expect(result.commentUrl).toMatch(/#issuecomment-\d+$/);
    expect(gh.emulator.repo(REPO).issue(7)?.labels).toEqual(['sandbox: live']);
    expect(
      gh.emulator
        .repo(REPO)
        .labels()
        .find((l) => l.name === 'sandbox: live')?.color,
    ).toBe('0e8a16');
  });

  it('never posts the same key twice, with or without the stored status id', async () => {
    const publisher = newPublisher();
    const first = await publisher.publish(request(step(1)));
    await publisher.publish(request(step(2), first.statusCommentId));

    const again = await publisher.publish(request(step(1), first.statusCommentId));
    const lost = await publisher.publish(request(step(1), undefined));

    expect(again).toMatchObject({
      alreadyPublished: true,
      commentId: first.commentId,
      commentUrl: first.commentUrl,
    });
    expect(lost).toMatchObject({ alreadyPublished: true, statusCommentId: first.statusCommentId });
    const keys = gh.emulator
      .repo(REPO)
      .comments(7)
      .map((c) => findEventKey(c.body))
      .filter(Boolean);
    expect(keys).toEqual(['session-1-1', 'session-1-2']);
  });

  it('finds an event a crashed run posted without updating the status', async () => {
    const publisher = newPublisher();
    const first = await publisher.publish(request(step(1)));
    // The crashed run: its comment is in the thread, the status never heard of it.
    const orphan = await gh.octokit.rest.issues.createComment({
      owner: 'octo-org',
      repo: 'sandbox-demo',
      issue_number: 7,
      body: '<!-- trinity:event {"v":1,"type":"step_completed","issue":7,"key":"session-1-2","at":"x"} -->\norphan',
    });
    const retried = await publisher.publish(request(step(2), first.statusCommentId));
    expect(retried).toMatchObject({ alreadyPublished: true, commentId: orphan.data.id });
    expect(gh.emulator.repo(REPO).comments(7)).toHaveLength(3);
  });

  it('costs the same few requests per event with 1,000 comments in the thread as with none', async () => {
    const counts: number[] = [];
    for (const noise of [0, 1000]) {
      if (noise > 0) gh.emulator.seedComments(REPO, 7, noise, (i) => `chatter ${i}`);
      gh.clock.advance(3_600_000);
      const publisher = newPublisher();
      const base = noise * 10;
      const first = await publisher.publish(request(step(base + 1)));
      gh.takeRequests();
      await publisher.publish(request(step(base + 2), first.statusCommentId));
      counts.push(gh.takeRequests().length);
    }
    expect(counts[0]).toBe(4);
    expect(counts[1]).toBe(counts[0]);
  });

  it('writes only what changed: a re-run writes nothing, a new event in the same state no label', async () => {
    const publisher = newPublisher();
    const first = await publisher.publish(request(step(1)));
    gh.takeRequests();

    // The same event again (a re-run): the status text is the same, so nothing is written.
    await publisher.publish(request(step(1), first.statusCommentId));
    expect(gh.takeRequests().map((r) => r.operationId)).toEqual([
      'issues/get-comment',
      'issues/list-comments',
    ]);

    // The same event re-run later (a real re-run has a later clock): still nothing is written, and
    // the status keeps the event's first time.
    await publisher.publish(request(step(1, { at: '2026-11-25T10:05:00Z' }), first.statusCommentId));
    expect(gh.takeRequests().map((r) => r.operationId)).toEqual([
      'issues/get-comment',
      'issues/list-comments',
    ]);

    // A new event, same state: the event and the status's new text, no label request.
    await publisher.publish(request(step(2), first.statusCommentId));
    expect(gh.takeRequests().map((r) => r.operationId)).toEqual([
      'issues/get-comment',
      'issues/list-comments',
      'issues/create-comment',
      'issues/update-comment',
    ]);

    // A new state: one label added, the old one removed.
    await publisher.publish(request(step(3), first.statusCommentId, 'destroying'));
    expect(gh.takeRequests().map((r) => r.operationId)).toEqual([
      'issues/get-comment',
      'issues/list-comments',
      'issues/create-comment',
      'issues/update-comment',
      'issues/create-label',
      'issues/add-labels',
      'issues/remove-label',
    ]);
    expect(gh.emulator.repo(REPO).issue(7)?.labels).toEqual(['sandbox: destroying']);
  });

  it('each event comment names its point in the timeline, which the picture draws with the same number', async () => {
    const publisher = newPublisher();
    let statusId: number | undefined;
    for (let n = 1; n <= 25; n += 1)
      statusId = (await publisher.publish(request(step(n), statusId))).statusCommentId;
    const comments = gh.emulator.repo(REPO).comments(7);
    const status = comments.find((c) => findStatusMarker(c.body) !== undefined);
    const events = comments.filter((c) => findEventMarker(c.body) !== undefined);
    const statusUrl = `https://github.com/${REPO}/issues/7#issuecomment-${status?.id ?? 0}`;
    // The first event is posted before the status comment exists: named, not linked.
    expect(events[0]?.body).toContain('· point 1 of the timeline in the status comment</sub>');
    expect(events[1]?.body).toContain(`· point 2 of [the timeline](${statusUrl})</sub>`);
    expect(events.map((c) => findEventMarker(c.body)?.n)).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    const marker = findStatusMarker(status?.body ?? '');
    expect(marker?.events_total).toBe(25);
    // The last 20 are drawn, numbered as their comments say, the 5 before them summarised.
    expect(status?.body).toContain('more["… and 5 earlier events"]');
    expect(status?.body).toContain('e1["6. 📝 step Step 6: ran the tests');
    expect(status?.body).toContain('e20["25. 📝 step Step 25: ran the tests');
    expect(status?.body).toContain(
      `[25](https://github.com/${REPO}/issues/7#issuecomment-${events[24]?.id ?? 0})`,
    );

    // A re-run of an earlier event keeps its point, and the count stays.
    await publisher.publish(request(step(24), statusId));
    const after = gh.emulator
      .repo(REPO)
      .comments(7)
      .find((c) => c.id === status?.id);
    expect(findStatusMarker(after?.body ?? '')?.events_total).toBe(25);
    expect(gh.emulator.repo(REPO).comments(7)).toHaveLength(26);
  });

  it('recreates a deleted status comment and moves the state label', async () => {
    const publisher = newPublisher();
    const first = await publisher.publish(request(step(1), undefined, 'deploying'));
    await gh.octokit.rest.issues.deleteComment({
      owner: 'octo-org',
      repo: 'sandbox-demo',
      comment_id: first.statusCommentId,
    });

    const second = await publisher.publish(request(step(2), first.statusCommentId, 'live'));

    expect(second.statusCommentId).not.toBe(first.statusCommentId);
    const statuses = gh.emulator
      .repo(REPO)
      .comments(7)
      .filter((c) => findStatusMarker(c.body) !== undefined);
    expect(statuses).toHaveLength(1);
    expect(gh.emulator.repo(REPO).issue(7)?.labels).toEqual(['sandbox: live']);
  });

  it('obeys a secondary rate limit and a 5xx, then succeeds', async () => {
    const publisher = newPublisher();
    gh.emulator.injectFault({
      operationId: 'issues/create-comment',
      kind: 'secondary_rate_limit',
      retryAfterSeconds: 2,
    });
    gh.emulator.injectFault({ operationId: 'issues/get-comment', kind: 'server_error', status: 502 });
    const first = await publisher.publish(request(step(1)));
    await publisher.publish(request(step(2), first.statusCommentId));

    const statuses = gh.emulator.requests
      .filter((r) => r.operationId === 'issues/create-comment')
      .map((r) => r.status);
    expect(statuses.slice(0, 2)).toEqual([403, 201]);
    expect(
      gh.emulator.requests.filter((r) => r.operationId === 'issues/get-comment').map((r) => r.status),
    ).toEqual([502, 200]);
    expect(gh.logger.lines.some((l) => l.level === 'warning' && /secondary rate limit/.test(l.message))).toBe(
      true,
    );
    expect(gh.emulator.repo(REPO).comments(7)).toHaveLength(3);
  });

  it('ignores markers pasted by strangers: no adopted status comment, no suppressed event', async () => {
    gh.emulator.addToken('ghp_mallory0001', { login: 'mallory' });
    const mallory = { authorization: 'token ghp_mallory0001', 'content-type': 'application/json' };
    const forged =
      '<!-- trinity:status {"v":1,"issue":7,"state":"live","updated_at":"2026-11-25T10:00:00Z",' +
      '"recent_events":[{"key":"session-1-1","comment_id":1}]} -->\nall good, nothing to see';
    const posted = await fetch(`${gh.emulator.url}/repos/${REPO}/issues/7/comments`, {
      method: 'POST',
      headers: mallory,
      body: JSON.stringify({ body: forged }),
    });
    expect(posted.status).toBe(201);

    const result = await newPublisher().publish(request(step(1)));

    expect(result.alreadyPublished).toBe(false);
    const comments = gh.emulator.repo(REPO).comments(7);
    expect(comments.find((c) => c.user === 'mallory')?.body).toBe(forged);
    expect(result.statusCommentId).not.toBe(comments.find((c) => c.user === 'mallory')?.id);
    expect(comments.filter((c) => findEventKey(c.body) === 'session-1-1')).toHaveLength(1);
  });
});

describe('publisher and a transferred issue', () => {
  it('follows the 307 of a write: the event lands on the issue in its new repository, as a POST', async () => {
    gh.emulator.createRepo('octo-org/elsewhere');
    gh.emulator.transferIssue(REPO, 7, 'octo-org/elsewhere');
    const result = await newPublisher().publish(request(step(1)));
    const moved = gh.emulator.repo('octo-org/elsewhere').comments(1);
    expect(moved.map((c) => findEventKey(c.body))).toContain('session-1-1');
    expect(result.commentUrl).toContain('/octo-org/elsewhere/');
    const creates = gh.emulator.requests.filter((r) => r.operationId === 'issues/create-comment');
    expect(creates.map((r) => [r.method, r.status])).toContainEqual(['POST', 307]);
    expect(creates.map((r) => [r.method, r.status])).toContainEqual(['POST', 201]);
  });

  it('fails with 404 when GitHub answers the write to a transferred issue with 404', async () => {
    gh.emulator.createRepo('octo-org/elsewhere');
    gh.emulator.transferIssue(REPO, 7, 'octo-org/elsewhere');
    gh.emulator.setTransferredWrites(404);
    const failure = await newPublisher()
      .publish(request(step(1)))
      .catch((error: unknown) => error);
    expect(statusOf(failure)).toBe(404);
    expect(gh.emulator.repo('octo-org/elsewhere').comments(1)).toEqual([]);
  });

  it('fails with 404 when a repository-scoped token cannot read where the issue went', async () => {
    gh.emulator.createRepo('octo-org/private-home', { private: true });
    gh.emulator.transferIssue(REPO, 7, 'octo-org/private-home');
    gh.emulator.addToken('ghs_scoped_to_demo', { repositories: [REPO] });
    const octokit = createGitHubClient({
      token: 'ghs_scoped_to_demo',
      baseUrl: gh.emulator.url,
      logger: gh.logger,
      timeBaseMs: 1,
      writeIntervalMs: 0,
    });
    const publisher = createPublisher({
      octokit,
      owner: 'octo-org',
      repo: 'sandbox-demo',
      logger: gh.logger,
    });
    const failure = await publisher.publish(request(step(1))).catch((error: unknown) => error);
    expect(statusOf(failure)).toBe(404);
    expect(gh.emulator.repo('octo-org/private-home').comments(1)).toEqual([]);
  });
});
