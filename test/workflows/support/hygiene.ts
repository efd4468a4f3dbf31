/**
 * The checks every workflow of the product passes (docs/design.md, 'Workflow rules'; docs/actions.md,
 * 'Security'): least privilege, no expression inside a shell script, user-controlled text only where
 * it cannot reach a shell, local actions called with inputs they declare, output references that
 * resolve, checkout without persisted credentials, third-party actions pinned.
 */
import { describe, expect, it } from 'vitest';
import { interpolations } from './expressions.js';
import {
  type Job,
  type Workflow,
  localAction,
  localActionExists,
  loadWorkflow,
  needsCheckout,
  needsOf,
  readActionMetadata,
  strings,
} from './workflow.js';

/**
 * Outputs a workflow may use before the action declares them, e.g. `{ 'destroy-sandbox': ['logs-path'] }`
 * while that output was being added. Once action.yml declares one, the last test below fails and asks
 * for the entry to be removed, so this list cannot go stale. Keep it empty otherwise.
 */
export const PENDING_OUTPUTS: Record<string, string[]> = {};

/** Expressions that carry text anyone can write: an issue's title or body, a comment, a label, a message. */
export const USER_TEXT =
  /github\.event\.(issue\.(title|body)|comment|label\.(name|description)|changes|pull_request\.(title|body))|inputs\.message|github\.head_ref/;

const THIRD_PARTY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/;

export function declaredOutputs(action: string): string[] {
  return [...Object.keys(readActionMetadata(action).outputs ?? {}), ...(PENDING_OUTPUTS[action] ?? [])];
}

function eachStep(workflow: Workflow): Array<{ jobId: string; job: Job; index: number; label: string }> {
  return Object.entries(workflow.jobs).flatMap(([jobId, job]) =>
    job.steps.map((step, index) => ({
      jobId,
      job,
      index,
      label: `jobs.${jobId}.steps[${index}] (${step.id ?? step.uses ?? step.name ?? 'run'})`,
    })),
  );
}

/**
 * `extra`: permissions a workflow needs beyond contents and issues, e.g. `deployments: write` for the
 * sandbox's GitHub deployments in issue-sandbox.yml. `base`: the permissions every workflow of the
 * product asks for, unless it needs fewer (the release workflow touches no issue).
 */
export function describeWorkflowHygiene(
  file: string,
  extra: Record<string, string> = {},
  base: Record<string, string> = { contents: 'write', issues: 'write' },
): void {
  describe(`${file}: hygiene`, () => {
    const workflow = loadWorkflow(file);
    const steps = eachStep(workflow);
    const named = Object.entries({ ...base, ...extra })
      .map(([scope, level]) => `${scope}: ${level}`)
      .join(', ');

    it(`asks for ${named}, and nothing else, at the workflow level only`, () => {
      expect(workflow.permissions).toEqual({ ...base, ...extra });
      for (const [jobId, job] of Object.entries(workflow.jobs)) {
        expect(job.permissions, `jobs.${jobId}.permissions widens or repeats the workflow's`).toBeUndefined();
      }
    });

    it('has no ${{ … }} inside any run script (pass values through env:)', () => {
      for (const { job, index, label } of steps) {
        const run = job.steps[index]?.run;
        if (run === undefined) continue;
        expect(interpolations(run), `${label} interpolates into a shell`).toEqual([]);
        expect(run, `${label}`).not.toMatch(/\$\{\{/);
      }
    });

    it('lets user-controlled text reach only job and step conditions and the inputs of its own actions', () => {
      const allowed = (path: string): boolean =>
        /^jobs\.[^.]+\.if$/.test(path) || /^jobs\.[^.]+\.steps\[\d+\]\.if$/.test(path);
      for (const { path, text } of strings(workflow)) {
        if (!USER_TEXT.test(text) || allowed(path)) continue;
        const step = /^jobs\.([^.]+)\.steps\[(\d+)\]\.with\./.exec(path);
        const uses = step ? workflow.jobs[step[1] as string]?.steps[Number(step[2])]?.uses : undefined;
        expect(
          localAction(uses),
          `${path} passes user text to ${uses ?? 'a non-action field'}`,
        ).toBeDefined();
      }
    });

    it('calls only existing local actions, with declared inputs, giving every required one', () => {
      for (const { job, index, label } of steps) {
        const step = job.steps[index];
        const name = localAction(step?.uses);
        if (step?.uses?.startsWith('./') === true) expect(name, `${label}: ${step.uses}`).toBeDefined();
        if (name === undefined) continue;
        expect(localActionExists(name), `${label}: actions/${name}/action.yml`).toBe(true);
        const inputs = readActionMetadata(name).inputs;
        for (const key of Object.keys(step?.with ?? {})) {
          expect(Object.keys(inputs), `${label}: with.${key} is not an input of ${name}`).toContain(key);
        }
        for (const [input, declared] of Object.entries(inputs)) {
          if (declared.required === true) {
            expect(step?.with?.[input], `${label}: required input ${input}`).toBeDefined();
          }
        }
      }
    });

    it('names only declared outputs in steps.<id>.outputs.<name>, of a step of the same job', () => {
      for (const [jobId, job] of Object.entries(workflow.jobs)) {
        const ids = job.steps.map((step) => step.id).filter((id) => id !== undefined);
        expect(new Set(ids).size, `jobs.${jobId}: step ids are unique`).toBe(ids.length);
        for (const { path, text } of strings(job, `jobs.${jobId}`)) {
          for (const match of text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
            const [, id, output] = match as unknown as [string, string, string];
            const step = job.steps.find((candidate) => candidate.id === id);
            expect(step, `${path}: no step with id ${id} in jobs.${jobId}`).toBeDefined();
            const name = localAction(step?.uses);
            expect(name, `${path}: steps.${id} is not one of this repository's actions`).toBeDefined();
            expect(declaredOutputs(name as string), `${path}: ${name} has no output ${output}`).toContain(
              output,
            );
          }
        }
      }
    });

    it('names only needed jobs and their declared outputs in needs.<job>.outputs.<name>', () => {
      for (const [jobId, job] of Object.entries(workflow.jobs)) {
        for (const { path, text } of strings(job, `jobs.${jobId}`)) {
          for (const match of text.matchAll(/needs\.([A-Za-z0-9_-]+)\.(outputs\.([A-Za-z0-9_-]+)|result)/g)) {
            const [, needed, , output] = match as unknown as [string, string, string, string | undefined];
            expect(needsOf(job), `${path}: jobs.${jobId} does not need ${needed}`).toContain(needed);
            if (output !== undefined) {
              expect(Object.keys(workflow.jobs[needed]?.outputs ?? {}), `${path}`).toContain(output);
            }
          }
        }
      }
    });

    it('checks out without persisting credentials, before the first local action of a job', () => {
      for (const [jobId, job] of Object.entries(workflow.jobs)) {
        const checkout = job.steps.findIndex((step) => step.uses?.startsWith('actions/checkout@') === true);
        const firstLocal = job.steps.findIndex((step) => needsCheckout(step.uses));
        if (firstLocal >= 0) {
          expect(checkout, `jobs.${jobId} runs a local action without checkout`).toBeGreaterThanOrEqual(0);
          expect(checkout, `jobs.${jobId}: checkout comes first`).toBeLessThan(firstLocal);
        }
        for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout@') === true)) {
          expect(step.with?.['persist-credentials'], `jobs.${jobId}: checkout`).toBe(false);
        }
      }
    });

    it('pins every third-party action to at least a major version', () => {
      for (const { job, index, label } of steps) {
        const uses = job.steps[index]?.uses;
        if (uses === undefined || localAction(uses) !== undefined) continue;
        expect(uses, label).toMatch(THIRD_PARTY);
      }
    });

    it('bounds every job with timeout-minutes', () => {
      for (const [jobId, job] of Object.entries(workflow.jobs)) {
        expect(job['timeout-minutes'], `jobs.${jobId}`).toEqual(expect.any(Number));
      }
    });

    it('keeps every pending output undeclared (remove the entry from PENDING_OUTPUTS once it is declared)', () => {
      for (const [action, outputs] of Object.entries(PENDING_OUTPUTS)) {
        const declared = Object.keys(readActionMetadata(action).outputs ?? {});
        for (const output of outputs) {
          expect(
            declared,
            `${action} now declares ${output}: delete it from PENDING_OUTPUTS in test/workflows/support/hygiene.ts`,
          ).not.toContain(output);
        }
      }
    });
  });
}
