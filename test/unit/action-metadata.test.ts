import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type InputSource,
  readCommandSettings,
  readDeploySettings,
  readDestroySettings,
  readJournalSettings,
  readProvisionSettings,
} from '@trinity/core';
import { actionNames, readActionMetadata, repoRoot } from '../support/action-metadata.js';
import { runContext } from '../support/settings-fixtures.js';

// The input and output names are part of the product's interface (docs/design.md, 'Inputs parsed once
// into typed settings'): renaming one breaks the workflows that use it.
const COMMON = ['github-token', 'issue-number', 'farm-path', 'farm-branch', 'commit-mode'];
const RAILWAY = ['railway-token', 'railway-project-id', 'railway-environment-id', 'railway-api-url'];
const INTERFACE: Record<string, { inputs: string[]; outputs: string[] }> = {
  'provision-sandbox': {
    inputs: [
      ...COMMON,
      ...RAILWAY,
      'image',
      'repo',
      'branch',
      'variables',
      'service-name',
      'allowed-associations',
      'required-label',
      'max-sandboxes',
    ],
    outputs: ['session-id', 'service-id', 'status', 'comment-url'],
  },
  'deploy-sandbox': {
    inputs: [
      ...COMMON,
      ...RAILWAY,
      'commit-sha',
      'timeout-minutes',
      'log-lines',
      'wait',
      'github-deployments',
    ],
    outputs: ['deployment-id', 'deployment-status', 'url'],
  },
  'destroy-sandbox': {
    inputs: [...COMMON, ...RAILWAY, 'archive-logs', 'sweep', 'github-deployments'],
    outputs: ['destroyed', 'status', 'logs-path'],
  },
  // The issue is the comment's: no issue-number input.
  'sandbox-command': {
    inputs: [
      ...COMMON.filter((input) => input !== 'issue-number'),
      ...RAILWAY,
      'image',
      'repo',
      'branch',
      'variables',
      'service-name',
      'allowed-associations',
      'required-label',
      'max-sandboxes',
      'timeout-minutes',
      'log-lines',
      'poll-interval-seconds',
      'github-deployments',
    ],
    outputs: ['command', 'outcome', 'comment-url'],
  },
  'journal-step': { inputs: [...COMMON, 'message', 'event'], outputs: ['comment-url', 'experience-file'] },
};

const READERS: Record<string, (source: InputSource) => unknown> = {
  'provision-sandbox': (source) => readProvisionSettings(source, runContext()),
  'deploy-sandbox': (source) => readDeploySettings(source, runContext()),
  'destroy-sandbox': (source) => readDestroySettings(source, runContext()),
  'journal-step': (source) => readJournalSettings(source, runContext()),
  'sandbox-command': (source) => readCommandSettings(source, runContext()),
};

describe('action.yml files', () => {
  it('exist for exactly the five actions of the interface', () => {
    expect(actionNames()).toEqual(Object.keys(INTERFACE).sort());
  });

  for (const [name, spec] of Object.entries(INTERFACE)) {
    describe(name, () => {
      const metadata = readActionMetadata(name);

      it('runs its committed bundle on node24', () => {
        // Every action that changes a sandbox has the shared post step, which runs even on cancellation.
        const post =
          name === 'journal-step' ? {} : { post: '../../dist/post/index.js', 'post-if': 'always()' };
        expect(metadata.runs).toEqual({ using: 'node24', main: `../../dist/${name}/index.js`, ...post });
        expect(existsSync(join(repoRoot, 'dist', name, 'index.js'))).toBe(true);
        if (name !== 'journal-step')
          expect(existsSync(join(repoRoot, 'dist', 'post', 'index.js'))).toBe(true);
      });

      it('has a name, a description and branding', () => {
        expect(metadata.name).toMatch(/\S/);
        expect(metadata.description.length).toBeGreaterThan(40);
        expect(metadata.branding?.icon).toMatch(/\S/);
      });

      it('declares every input and output of its interface, each described', () => {
        expect(Object.keys(metadata.inputs)).toEqual(expect.arrayContaining(spec.inputs));
        expect(Object.keys(metadata.outputs).sort()).toEqual([...spec.outputs].sort());
        for (const [input, declared] of Object.entries(metadata.inputs)) {
          expect(declared.description, `${name} input ${input}`).toMatch(/\S{3}/);
        }
      });

      it('reads no input that action.yml does not declare', () => {
        const requested = new Set<string>();
        const source: InputSource = (input) => {
          requested.add(input);
          // Give every input its default, and the required ones a plausible value.
          return (
            metadata.inputs[input]?.default?.replace('${{ github.token }}', 'ghs_test') ?? plausible(input)
          );
        };
        READERS[name]?.(source);
        expect(requested.size).toBeGreaterThan(3);
        for (const input of requested)
          expect(Object.keys(metadata.inputs), `${name} reads "${input}"`).toContain(input);
      });

      it('marks as required exactly the inputs without which the action cannot run', () => {
        const required = Object.entries(metadata.inputs)
          .filter(([, declared]) => declared.required === true)
          .map(([input]) => input)
          .sort();
        expect(required).toEqual(name === 'journal-step' ? ['message'] : ['railway-token']);
      });
    });
  }
});

function plausible(input: string): string | undefined {
  return { 'railway-token': 'rw_token', message: 'a step', 'issue-number': '7', image: 'nginx:1.27' }[input];
}
