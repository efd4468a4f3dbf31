import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionNames, readActionMetadata, repoRoot } from '../support/action-metadata.js';
import { interpolate } from './support/expressions.js';
import { loadWorkflow } from './support/workflow.js';

const FILE = 'ci.yml';
const workflow = loadWorkflow(FILE);
const test = workflow.jobs.test;

/** `node24` → 24: the Node major an action runs on. */
function runtimeMajor(using: string): number {
  const match = /^node(\d+)$/.exec(using);
  if (!match) throw new Error(`runs.using "${using}" is not a Node runtime`);
  return Number(match[1]);
}

/** `>=20.19` → 20: the oldest Node major package.json promises. */
function oldestSupportedMajor(): number {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    engines: { node: string };
  };
  const match = /^>=(\d+)/.exec(manifest.engines.node);
  if (!match) throw new Error(`engines.node "${manifest.engines.node}" is not of the form >=N`);
  return Number(match[1]);
}

describe(FILE, () => {
  const matrix = (test?.strategy as { matrix?: { node?: number[] } } | undefined)?.matrix?.node ?? [];

  it('tests on the Node the actions run on and on the oldest Node package.json supports', () => {
    const runtimes = actionNames().map((name) => runtimeMajor(readActionMetadata(name).runs.using));
    const wanted = [...new Set([oldestSupportedMajor(), ...runtimes])].sort((a, b) => a - b);
    expect(wanted).toEqual([20, 24]);
    expect([...matrix].sort((a, b) => a - b)).toEqual(wanted);
  });

  it('sets up the Node of each matrix entry, and lets every entry finish', () => {
    const setup = test?.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    for (const node of matrix) {
      expect(interpolate(String(setup?.with?.['node-version']), { matrix: { node } })).toBe(String(node));
    }
    expect((test?.strategy as { 'fail-fast'?: boolean } | undefined)?.['fail-fast']).toBe(false);
  });
});
