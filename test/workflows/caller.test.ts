/**
 * The caller users copy (docs/workflow-example.yml, which `tri init` writes) against the reusable
 * workflow it calls: a dozen lines, the same triggers as this repository's own workflow (the routing's
 * source), the permissions the called jobs need, the secret they read, and no shell.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SETTINGS, callerWorkflow } from '../../packages/cli/src/init/caller-workflow.js';
import {
  PRODUCT_REPOSITORY,
  REUSABLE_WORKFLOW_PATH,
  REUSABLE_WORKFLOW_USES,
} from '../../packages/cli/src/product.js';
import { repoRoot } from '../support/action-metadata.js';
import { type Workflow, loadWorkflow, strings } from './support/workflow.js';

const EXAMPLE = 'docs/workflow-example.yml';
const text = readFileSync(join(repoRoot, EXAMPLE), 'utf8');
const caller = parse(text, { uniqueKeys: true }) as Workflow & {
  jobs: Record<string, { uses?: string; secrets?: unknown; with?: unknown; steps?: unknown }>;
};
const source = loadWorkflow('issue-sandbox.yml');
const reusable = loadWorkflow('issue-sandbox-reusable.yml');

/** A trigger map compared by what GitHub acts on: event types, and each input's type, requirement, options. */
function triggers(on: Record<string, unknown>): unknown {
  return Object.fromEntries(
    Object.entries(on).map(([event, value]) => {
      const { types, inputs } = (value ?? {}) as { types?: string[]; inputs?: Record<string, object> };
      return [
        event,
        {
          types: types === undefined ? undefined : [...types].sort(),
          inputs:
            inputs === undefined
              ? undefined
              : Object.fromEntries(
                  Object.entries(inputs).map(([name, input]) => {
                    const { type, required, options } = input as Record<string, unknown>;
                    return [name, { type, required: required === true, options }];
                  }),
                ),
        },
      ];
    }),
  );
}

describe(`${EXAMPLE}: the caller`, () => {
  it('is what `tri init` writes, byte for byte', () => {
    expect(callerWorkflow()).toBe(text);
  });

  it("is shown on the README's first screen", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const at = readme.indexOf(text.trim());
    expect(at).toBeGreaterThan(-1);
    // In the first section after the title, after the one command that writes it.
    const sections = [...readme.matchAll(/^## /gm)].map((match) => match.index);
    expect(at).toBeLessThan(sections[1] ?? Infinity);
    const command = `npx --package github:${PRODUCT_REPOSITORY} tri init`;
    expect(readme.indexOf(command)).toBeGreaterThan(sections[0] ?? -1);
    expect(readme.indexOf(command)).toBeLessThan(at);
  });

  it('is a dozen lines: at most 15 besides comments and blank lines', () => {
    const lines = text.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
    expect(lines.length).toBeLessThanOrEqual(15);
  });

  it("has the triggers of this repository's own workflow: every issue event, new comments, manual runs", () => {
    expect(triggers(caller.on)).toEqual(triggers(source.on));
  });

  it('grants exactly the permissions the reusable workflow asks for (a called workflow can only lose some)', () => {
    expect(caller.permissions).toEqual(reusable.permissions);
    expect(reusable.permissions).toEqual({ contents: 'write', issues: 'write', deployments: 'write' });
  });

  it('leaves the queue per issue to the reusable workflow: the same group at both levels deadlocks', () => {
    expect(caller.concurrency).toBeUndefined();
    expect((reusable.concurrency as { group?: string }).group).toMatch(/^issue-sandbox-\$\{\{/);
  });

  it('has one job: the reusable workflow at the major tag, with every secret inherited and no inputs', () => {
    expect(Object.keys(caller.jobs)).toEqual(['sandbox']);
    const job = caller.jobs.sandbox;
    expect(job).toEqual({ uses: REUSABLE_WORKFLOW_USES, secrets: 'inherit' });
    expect(REUSABLE_WORKFLOW_USES.split('@')[0]?.endsWith(`/${REUSABLE_WORKFLOW_PATH}`)).toBe(true);
  });

  it('calls a workflow that is callable, declares the secret it reads and takes no inputs', () => {
    const call = (reusable.on as { workflow_call?: { inputs?: unknown; secrets?: Record<string, object> } })
      .workflow_call;
    expect(call).toBeDefined();
    expect(call?.inputs).toBeUndefined();
    const read = new Set(
      strings(reusable.jobs).flatMap(({ text: value }) =>
        [...value.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((match) => match[1]),
      ),
    );
    expect(Object.keys(call?.secrets ?? {}).sort()).toEqual([...read].sort());
  });

  it('runs no shell and passes no text of its own: the reusable workflow reads the event itself', () => {
    expect(text).not.toMatch(/\$\{\{/);
    expect(text).not.toMatch(/^\s*(- )?run:/m);
  });

  it('is prompted by `tri init` for exactly the secrets and variables the reusable workflow reads', () => {
    const read = (prefix: string) =>
      new Set(
        strings(reusable.jobs).flatMap(({ text: value }) =>
          [...value.matchAll(new RegExp(`${prefix}\\.([A-Za-z0-9_]+)`, 'g'))].map((match) => match[1]),
        ),
      );
    const named = (kind: string) =>
      SETTINGS.filter((setting) => setting.kind === kind)
        .map((setting) => setting.name)
        .sort();
    expect(named('secret')).toEqual([...read('secrets')].sort());
    expect(named('variable')).toEqual([...read('vars')].sort());
  });
});
