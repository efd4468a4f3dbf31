import { describe, expect, it } from 'vitest';
import {
  InputError,
  UserError,
  inputsFromRecord,
  parseIssueNumber,
  readDeploySettings,
  readDestroySettings,
  readJournalSettings,
  readProvisionSettings,
} from '@trinity/core';
import { runContext } from '../support/settings-fixtures.js';

const base = { 'github-token': 'ghs_abc', 'railway-token': 'rw_secret' };
/** Provision needs something to run (image or repo). */
const source = { image: 'ghcr.io/octo-org/app:1' };

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('provision settings', () => {
  it('fills the documented defaults and takes the issue from the event payload', () => {
    const settings = readProvisionSettings(inputsFromRecord({ ...base, ...source }), runContext());
    expect(settings).toMatchObject({
      issueNumber: 7,
      serviceName: 'issue-{issue}',
      allowedAssociations: ['OWNER', 'MEMBER', 'COLLABORATOR'],
      requiredLabel: undefined,
      maxSandboxes: undefined,
      source: { kind: 'image', image: 'ghcr.io/octo-org/app:1' },
      github: { farmPath: '.trinity/railway_farm.json', farmBranch: undefined, commitMode: 'api' },
      railway: {
        apiUrl: 'https://backboard.railway.com/graphql/v2',
        tokenKind: 'auto',
        projectId: undefined,
      },
    });
  });

  it('treats blank inputs as unset, never as empty strings', () => {
    const settings = readProvisionSettings(
      inputsFromRecord({ ...base, ...source, 'required-label': '   ', 'railway-project-id': '' }),
      runContext(),
    );
    expect(settings.requiredLabel).toBeUndefined();
    expect(settings.railway.projectId).toBeUndefined();
  });

  it('parses KEY=VALUE variables, keeps "=" inside values, and lists every value as a secret', () => {
    const settings = readProvisionSettings(
      inputsFromRecord({
        ...base,
        ...source,
        variables: '# comment\nDATABASE_URL=postgres://u:p@h/db?x=1\n\nPORT=8080\n',
      }),
      runContext(),
    );
    expect(settings.variables).toEqual({ DATABASE_URL: 'postgres://u:p@h/db?x=1', PORT: '8080' });
    expect(settings.secrets).toEqual(
      expect.arrayContaining(['ghs_abc', 'rw_secret', 'postgres://u:p@h/db?x=1', '8080']),
    );
  });

  it('refuses a malformed variables line without echoing it', () => {
    const error = errorOf(() =>
      readProvisionSettings(
        inputsFromRecord({ ...base, ...source, variables: 'OK=1\n9BAD=hunter2' }),
        runContext(),
      ),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('line 2');
    expect(error.message).not.toContain('hunter2');
  });

  it('names the missing railway-token and says how to provide it', () => {
    const error = errorOf(() =>
      readProvisionSettings(inputsFromRecord({ 'github-token': 'x' }), runContext()),
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('railway-token');
    expect(error.message).toMatch(/secrets\.RAILWAY_TOKEN/);
  });

  it('refuses an unknown commit-mode and lists the accepted ones', () => {
    const error = errorOf(() =>
      readProvisionSettings(inputsFromRecord({ ...base, ...source, 'commit-mode': 'svn' }), runContext()),
    );
    expect(error.message).toBe(
      'Input "commit-mode" is "svn", which is not one of the accepted values: api, git.',
    );
  });

  it('refuses image and repo together, and a malformed repo', () => {
    expect(
      errorOf(() =>
        readProvisionSettings(inputsFromRecord({ ...base, image: 'a', repo: 'o/r' }), runContext()),
      ).message,
    ).toMatch(/both set/);
    expect(
      errorOf(() => readProvisionSettings(inputsFromRecord({ ...base, repo: 'not a repo' }), runContext()))
        .message,
    ).toMatch(/owner\/name/);
    expect(
      readProvisionSettings(inputsFromRecord({ ...base, repo: 'o/r', branch: 'dev' }), runContext()).source,
    ).toEqual({
      kind: 'repo',
      repo: 'o/r',
      branch: 'dev',
    });
  });

  it('checks allowed-associations against GitHub’s values', () => {
    const ok = readProvisionSettings(
      inputsFromRecord({ ...base, ...source, 'allowed-associations': 'owner, contributor' }),
      runContext(),
    );
    expect(ok.allowedAssociations).toEqual(['OWNER', 'CONTRIBUTOR']);
    expect(
      errorOf(() =>
        readProvisionSettings(
          inputsFromRecord({ ...base, ...source, 'allowed-associations': 'OWNER,ADMIN' }),
          runContext(),
        ),
      ).message,
    ).toMatch(/"ADMIN", which is not a GitHub author association/);
  });

  it('keeps farm-path inside the repository', () => {
    for (const path of ['/etc/passwd', '../other/farm.json', 'a/../../b']) {
      expect(
        errorOf(() =>
          readProvisionSettings(inputsFromRecord({ ...base, ...source, 'farm-path': path }), runContext()),
        ),
      ).toBeInstanceOf(InputError);
    }
  });

  it('requires issue-number outside issue events and says how to pass it', () => {
    const context = runContext({ eventName: 'workflow_dispatch', payload: { inputs: {} } });
    const error = errorOf(() => readProvisionSettings(inputsFromRecord({ ...base, ...source }), context));
    expect((error as InputError).input).toBe('issue-number');
    expect(error.message).toContain('workflow_dispatch');
    expect(
      readProvisionSettings(inputsFromRecord({ ...base, ...source, 'issue-number': '#42' }), context)
        .issueNumber,
    ).toBe(42);
  });
});

describe('deploy, destroy and journal settings', () => {
  it('deploy: defaults, and numbers and booleans checked', () => {
    expect(readDeploySettings(inputsFromRecord(base), runContext())).toMatchObject({
      timeoutMinutes: 15,
      logLines: 50,
      wait: true,
      commitSha: undefined,
    });
    expect(
      errorOf(() => readDeploySettings(inputsFromRecord({ ...base, 'timeout-minutes': '0' }), runContext()))
        .message,
    ).toMatch(/whole number of 1 or more/);
    expect(
      errorOf(() => readDeploySettings(inputsFromRecord({ ...base, wait: 'yes' }), runContext())).message,
    ).toMatch(/use true or false/);
    expect(
      errorOf(() => readDeploySettings(inputsFromRecord({ ...base, 'commit-sha': 'main' }), runContext()))
        .message,
    ).toMatch(/not a git commit SHA/);
  });

  it('destroy: a sweep needs no issue, and ttl takes m/h/d durations', () => {
    const sweep = readDestroySettings(
      inputsFromRecord({ ...base, sweep: 'true', ttl: '7d' }),
      runContext({ eventName: 'schedule', payload: {} }),
    );
    expect(sweep).toMatchObject({
      sweep: true,
      issueNumber: undefined,
      ttlMs: 7 * 86_400_000,
      archiveLogs: true,
    });
    expect(
      errorOf(() => readDestroySettings(inputsFromRecord({ ...base, ttl: '1w' }), runContext())).message,
    ).toMatch(/72h/);
  });

  it('journal: message required, event checked against the event types', () => {
    expect(
      readJournalSettings(inputsFromRecord({ 'github-token': 't', message: 'did it' }), runContext()),
    ).toMatchObject({
      message: 'did it',
      event: 'step_completed',
      issueNumber: 7,
    });
    expect(
      errorOf(() => readJournalSettings(inputsFromRecord({ 'github-token': 't' }), runContext())),
    ).toBeInstanceOf(InputError);
    expect(
      errorOf(() =>
        readJournalSettings(
          inputsFromRecord({ 'github-token': 't', message: 'm', event: 'oops' }),
          runContext(),
        ),
      ).message,
    ).toMatch(/step_completed, build_failed/);
  });
});

describe('parseIssueNumber', () => {
  it.each([
    [506, 506],
    ['506', 506],
    ['#506', 506],
    [' 12 ', 12],
    ['https://github.com/octo-org/app/issues/506', 506],
  ])('accepts %j', (input, expected) => {
    expect(parseIssueNumber(input)).toBe(expected);
  });

  it.each([
    [0],
    [-3],
    [1.5],
    ['1e3'],
    [2 ** 30],
    ['../../etc'],
    [''],
    [null],
    ['https://github.com/o/r/pull/5'],
    ['99999999999999999999'],
  ])('refuses %j with a user error', (input) => {
    expect(() => parseIssueNumber(input)).toThrow(UserError);
  });
});
