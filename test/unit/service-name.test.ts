// Railway allows service names of at most 32 characters (test/emulators/railway/README.md): a
// service-name template whose name for the highest possible issue number is longer is refused.
import { describe, expect, it } from 'vitest';
import {
  HIGHEST_ISSUE_NUMBER,
  InputError,
  inputsFromRecord,
  MAX_SERVICE_NAME_LENGTH,
  readProvisionSettings,
  serviceNameFor,
  serviceNamePattern,
} from '@trinity/core';
import { runContext } from '../support/settings-fixtures.js';

const base = { 'github-token': 'ghs_abc', 'railway-token': 'rw_secret' };
const read = (template: string) =>
  readProvisionSettings(
    inputsFromRecord({ ...base, image: 'nginx:1.27', 'service-name': template }),
    runContext(),
  );

describe('service-name', () => {
  it('measures the worst case: issue 2^30 - 1, ten digits', () => {
    expect(HIGHEST_ISSUE_NUMBER).toBe(1_073_741_823);
    expect(MAX_SERVICE_NAME_LENGTH).toBe(32);
    expect(serviceNameFor('issue-{issue}', HIGHEST_ISSUE_NUMBER)).toBe('issue-1073741823');
  });

  it('accepts a template that fits 32 characters for every issue (22 around {issue})', () => {
    const fits = `${'a'.repeat(22)}{issue}`;
    expect(read(fits).serviceName).toBe(fits);
    expect(read('issue-{issue}').serviceName).toBe('issue-{issue}');
  });

  it('refuses one character more, saying what, why and how', () => {
    let error: unknown;
    try {
      read('sandbox-for-acme-web-x-{issue}');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('service-name');
    expect((error as Error).message).toBe(
      'Input "service-name" is "sandbox-for-acme-web-x-{issue}", which gives service names of up to 33 ' +
        'characters ("sandbox-for-acme-web-x-1073741823" for issue 1073741823); Railway allows at most 32. ' +
        'Shorten it so that the text around {issue} is at most 22 characters, e.g. "issue-{issue}".',
    );
  });

  it('refuses a template without {issue}: every issue would adopt the same service', () => {
    expect(() => read('sandbox')).toThrow(
      'Input "service-name" is "sandbox", which has no {issue}: every issue would get the same service ' +
        'name and adopt another issue\'s sandbox. Put {issue} where the number goes, e.g. "issue-{issue}".',
    );
  });

  it('turns the template into the pattern of the names it gives', () => {
    const pattern = serviceNamePattern('pr.{issue}-box');
    expect(pattern.test('pr.12-box')).toBe(true);
    expect(pattern.test('prx12-box')).toBe(false);
    expect(pattern.test('pr.-box')).toBe(false);
  });
});
