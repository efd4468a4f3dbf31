/** The actions' issue-number input: an issue URL of another repository is an input error. */
import { describe, expect, it } from 'vitest';
import { InputError, inputsFromRecord, readProvisionSettings } from '@trinity/core';
import { runContext } from '../support/settings-fixtures.js';

const read = (issue: string) =>
  readProvisionSettings(
    inputsFromRecord({
      'github-token': 'ghs_x',
      'railway-token': 'rw',
      'issue-number': issue,
      image: 'img:1',
    }),
    runContext(),
  );

describe('input "issue-number" given as a URL', () => {
  it('takes a URL of the workflow’s own repository (any case)', () => {
    expect(read('https://github.com/Octo-Org/Sandbox-Demo/issues/506').issueNumber).toBe(506);
  });

  it('refuses a URL of another repository, naming both', () => {
    let error: unknown;
    try {
      read('https://github.com/acme/widgets/issues/506');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('issue-number');
    expect((error as Error).message).toBe(
      'The input "issue-number" is an issue of acme/widgets (#506), but the repository this workflow runs in is ' +
        'octo-org/sandbox-demo; an issue URL is never re-targeted to another repository. The actions manage issues ' +
        'of their own repository: pass the number (or URL) of one of its issues.',
    );
  });
});
