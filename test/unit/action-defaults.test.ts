/**
 * The defaults live twice: in each action.yml (what users read, and what the runner passes when an
 * input is not set) and in the settings parsers (what `tri`, the tests and a runner that passes
 * nothing get). These tests keep the two equal in both directions:
 * - an input action.yml gives a default is parsed the same whether it is absent or set to that default;
 * - an input action.yml gives no default is left unset by the parser when absent (or, if the action
 *   cannot run without it, refused naming the input): the parser invents no default of its own.
 */
import { describe, expect, it } from 'vitest';
import {
  InputError,
  inputsFromRecord,
  readCommandSettings,
  readDeploySettings,
  readDestroySettings,
  readJournalSettings,
  readProvisionSettings,
} from '@trinity/core';
import { actionNames, readActionMetadata } from '../support/action-metadata.js';
import { runContext } from '../support/settings-fixtures.js';

// No issue in the payload, so the issue number can only come from the input.
const context = runContext({ eventName: 'workflow_dispatch', payload: {} });
/** sandbox-command has no issue-number input: the issue is the comment's. */
const commentContext = runContext({ eventName: 'issue_comment', payload: { issue: { number: 7 } } });

/**
 * A sandbox needs something to run: provision refuses when neither image nor repo is set. Every
 * other input is checked with an image given; image and repo themselves are checked below.
 */
const SOURCE_INPUTS = ['image', 'repo'];
const withSource = (inputs: Record<string, string>): Record<string, string> =>
  inputs.image === undefined && inputs.repo === undefined ? { ...inputs, image: 'nginx:1.27' } : inputs;

const READERS: Record<string, (inputs: Record<string, string>) => unknown> = {
  'provision-sandbox': (inputs) => readProvisionSettings(inputsFromRecord(withSource(inputs)), context),
  'deploy-sandbox': (inputs) => readDeploySettings(inputsFromRecord(inputs), context),
  'destroy-sandbox': (inputs) => readDestroySettings(inputsFromRecord(inputs), context),
  'journal-step': (inputs) => readJournalSettings(inputsFromRecord(inputs), context),
  'sandbox-command': (inputs) => readCommandSettings(inputsFromRecord(withSource(inputs)), commentContext),
};

/** What every parse gets, so that only the input under test is missing. */
const BASE: Record<string, string> = {
  'github-token': 'ghs_test',
  'railway-token': 'rw_test',
  'issue-number': '7',
  message: 'Ran the test suite',
};

/** A valid value for each input without a default, and what it needs beside it. */
const SAMPLES: Record<string, { value: string; with?: Record<string, string> }> = {
  'farm-branch': { value: 'journal' },
  'railway-project-id': { value: 'project-1' },
  'railway-environment-id': { value: 'environment-1' },
  image: { value: 'nginx:1.27' },
  repo: { value: 'octo-org/app' },
  branch: { value: 'feature', with: { repo: 'octo-org/app' } },
  variables: { value: 'GREETING=hello' },
  'required-label': { value: 'sandbox' },
  'max-sandboxes': { value: '3' },
  'commit-sha': { value: 'abc1234' },
  ttl: { value: '7d' },
  key: { value: 'tests-node-20' },
};

/** An expression default (`${{ github.token }}`) is filled in by the runner, not by the parser. */
const isExpression = (value: string): boolean => value.includes('${{');

/** Every leaf of a settings object, by path (`railway.apiUrl`, `secrets.2`). */
function leaves(value: unknown, path = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) leaves(child, path ? `${path}.${key}` : key, out);
  } else {
    out.set(path, value);
  }
  return out;
}

function without(inputs: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).filter(([key]) => key !== name));
}

function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('action.yml defaults and the settings parsers agree', () => {
  it('covers every action', () => {
    expect(Object.keys(READERS).sort()).toEqual(actionNames());
  });

  for (const name of actionNames()) {
    describe(name, () => {
      const reader = READERS[name];
      const read = (inputs: Record<string, string>): unknown => {
        if (reader === undefined) throw new Error(`no settings reader for ${name}`);
        return reader(inputs);
      };
      const inputs = Object.entries(readActionMetadata(name).inputs);

      for (const [input, declared] of inputs.filter(([, d]) => d.default !== undefined)) {
        const value = String(declared.default);
        if (isExpression(value)) {
          it(`${input}: the runner fills ${value}; the parser refuses a missing one rather than invent it`, () => {
            const error = failure(() => read(without(BASE, input)));
            expect(error).toBeInstanceOf(InputError);
            expect((error as InputError).input).toBe(input);
          });
          continue;
        }
        it(`${input}: absent is parsed as action.yml's default "${value}"`, () => {
          const absent = without(BASE, input);
          expect(read(absent)).toEqual(read({ ...absent, [input]: value }));
        });
      }

      for (const [input] of inputs.filter(([, d]) => d.default === undefined)) {
        const sample = SAMPLES[input];
        // sandbox-command provisions only for /sandbox recreate, which asks for a source itself
        // (lifecycle/command.ts): its other commands run in a repository that sets neither.
        if (name === 'sandbox-command' && SOURCE_INPUTS.includes(input) && sample !== undefined) {
          it(`${input}: has no default in action.yml; without image and repo only /sandbox recreate refuses`, () => {
            const neither = without(without(BASE, 'image'), 'repo');
            expect(
              readCommandSettings(inputsFromRecord(neither), commentContext).provision.source,
            ).toBeUndefined();
            expect(JSON.stringify(read({ ...neither, [input]: sample.value }))).toContain(
              `"source":{"kind":"${input}"`,
            );
          });
          continue;
        }
        if (name === 'provision-sandbox' && SOURCE_INPUTS.includes(input) && sample !== undefined) {
          it(`${input}: has no default in action.yml; without image and repo the parser refuses to run`, () => {
            const neither = without(without(BASE, 'image'), 'repo');
            const error = failure(() => readProvisionSettings(inputsFromRecord(neither), context));
            expect(error).toBeInstanceOf(InputError);
            expect((error as InputError).input).toBe('image');
            expect(JSON.stringify(read({ ...neither, [input]: sample.value }))).toContain(
              `"source":{"kind":"${input}"`,
            );
          });
          continue;
        }
        if (sample === undefined) {
          it(`${input}: has no default in action.yml, and without it the parser refuses to run`, () => {
            const error = failure(() => read(without(BASE, input)));
            expect(error).toBeInstanceOf(InputError);
            expect((error as InputError).input).toBe(input);
          });
          continue;
        }
        it(`${input}: has no default in action.yml, and the parser invents none`, () => {
          const absent = { ...without(BASE, input), ...sample.with };
          const unset = leaves(read(absent));
          const set = leaves(read({ ...absent, [input]: sample.value }));
          const changed = [...new Set([...unset.keys(), ...set.keys()])].filter(
            (path) => unset.get(path) !== set.get(path),
          );
          expect(changed.length, `setting ${input} changes something`).toBeGreaterThan(0);
          for (const path of changed) expect(unset.get(path), `${path} without ${input}`).toBeUndefined();
        });
      }
    });
  }
});
