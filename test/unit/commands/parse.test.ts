import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COMMAND_LOG_LINES,
  MAX_COMMAND_LOG_LINES,
  parseCommandComment,
  readCommandComment,
} from '@trinity/core';
import { issueCommentPayload } from '../../support/webhook-payloads.js';

describe('parseCommandComment: every form of /sandbox', () => {
  it.each([
    ['/sandbox status', { name: 'status' }],
    ['/sandbox redeploy', { name: 'redeploy' }],
    ['/sandbox destroy', { name: 'destroy' }],
    ['/sandbox recreate', { name: 'recreate' }],
    ['/sandbox help', { name: 'help' }],
    ['/sandbox', { name: 'help' }],
    ['/sandbox logs', { name: 'logs', which: 'deploy', lines: DEFAULT_COMMAND_LOG_LINES }],
    ['/sandbox logs build', { name: 'logs', which: 'build', lines: DEFAULT_COMMAND_LOG_LINES }],
    ['/sandbox logs deploy', { name: 'logs', which: 'deploy', lines: DEFAULT_COMMAND_LOG_LINES }],
    ['/sandbox logs 120', { name: 'logs', which: 'deploy', lines: 120 }],
    ['/sandbox logs build 7', { name: 'logs', which: 'build', lines: 7 }],
    [
      `/sandbox logs deploy ${MAX_COMMAND_LOG_LINES}`,
      { name: 'logs', which: 'deploy', lines: MAX_COMMAND_LOG_LINES },
    ],
    ['/SANDBOX Redeploy', { name: 'redeploy' }],
    ['   /sandbox   status   ', { name: 'status' }],
    ['Please have a look.\n\n/sandbox redeploy\nthanks', { name: 'redeploy' }],
    ['/sandbox status\r\n/sandbox destroy', { name: 'status' }],
  ])('%j is %j', (body, command) => {
    expect(parseCommandComment(body)).toMatchObject({ kind: 'command', command });
  });

  it.each([
    ['an ordinary comment', 'Looks good to me'],
    ['a quote of a command', '> /sandbox destroy\nwhy would you do that?'],
    ['a nested quote', '> > /sandbox destroy'],
    ['a fenced code block', 'Run this:\n```\n/sandbox destroy\n```'],
    ['a tilde fence', '~~~text\n/sandbox destroy\n~~~'],
    ['a longer fence closed only by as long a fence', '````\n```\n/sandbox destroy\n````'],
    ['an indented code block', '    /sandbox destroy'],
    ['inline code', 'type `/sandbox destroy` to remove it'],
    ['the command mid-line', 'you could /sandbox destroy it'],
    ['a longer word', '/sandboxes are great'],
    ['an empty comment', ''],
  ])('%s is no command', (_, body) => {
    expect(parseCommandComment(body)).toEqual({ kind: 'none' });
  });

  it('a command after a closed fence counts', () => {
    expect(parseCommandComment('```\nx\n```\n/sandbox status')).toMatchObject({
      kind: 'command',
      command: { name: 'status' },
    });
  });

  it.each([
    ['/sandbox deploy', /"deploy" is not a sandbox command/],
    ['/sandbox status now', /"status" takes nothing after it/],
    ['/sandbox help me', /"help" takes nothing after it/],
    ['/sandbox logs 0', /"0" is not a number of lines: give one from 1 to 500/],
    [`/sandbox logs ${MAX_COMMAND_LOG_LINES + 1}`, /is not a number of lines/],
    ['/sandbox logs build many', /"many" is not a number of lines/],
    ['/sandbox logs build 5 more', /"logs" takes \[build\|deploy\] \[N\]; "more" is more than that/],
    ['/sandbox logs 5 build', /"logs" takes \[build\|deploy\] \[N\]; "build"/],
  ])('%j is invalid and says why', (body, why) => {
    const parsed = parseCommandComment(body);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' ? parsed.why : '').toMatch(why);
  });
});

describe('readCommandComment: a real issue_comment payload (@octokit/webhooks-examples)', () => {
  it('reads the comment id, body, author and issue', () => {
    const payload = issueCommentPayload('created', '/sandbox status');
    expect(readCommandComment('issue_comment', payload)).toEqual({
      action: 'created',
      commentId: payload.comment.id,
      body: '/sandbox status',
      author: 'Codertocat',
      authorType: 'User',
      issueNumber: 1,
      onPullRequest: false,
    });
  });

  it('sees a pull request comment and an edit', () => {
    const onPr = issueCommentPayload('created', '/sandbox status', { pullRequest: true });
    expect(readCommandComment('issue_comment', onPr).onPullRequest).toBe(true);
    expect(readCommandComment('issue_comment', issueCommentPayload('edited', '/sandbox status')).action).toBe(
      'edited',
    );
  });

  it('another event is a workflow set up wrong, and says how to fix it', () => {
    expect(() => readCommandComment('issues', {})).toThrow(
      /reads an issue comment, but this run's event is "issues".*issue_comment \(types: \[created\]\)/,
    );
    expect(() => readCommandComment('issue_comment', { action: 'created' })).toThrow(
      /lacks action, comment.id/,
    );
  });
});
