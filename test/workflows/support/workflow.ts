import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PRODUCT_MAJOR_TAG, PRODUCT_REPOSITORY } from '../../../packages/cli/src/product.js';
import { readActionMetadata, repoRoot } from '../../support/action-metadata.js';
import { type JobStatus, type Value, evaluate, truthy, usesStatusFunction } from './expressions.js';

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

export interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: unknown;
  outputs?: Record<string, string>;
  steps: Step[];
  [key: string]: unknown;
}

export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: unknown;
  concurrency?: unknown;
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
}

/** Parses a workflow strictly: duplicate keys and YAML errors throw. */
/** Every workflow the product ships and the caller users copy, as paths from the repository root. */
export function shippedWorkflowFiles(): string[] {
  const workflows = join(repoRoot, '.github', 'workflows');
  return [
    ...readdirSync(workflows)
      .filter((file) => /\.ya?ml$/.test(file))
      .map((file) => join('.github', 'workflows', file)),
    join('docs', 'workflow-example.yml'),
  ];
}

export function loadWorkflow(file: string): Workflow {
  const path = join(repoRoot, '.github', 'workflows', file);
  return parse(readFileSync(path, 'utf8'), { uniqueKeys: true, prettyErrors: true }) as Workflow;
}

export function needsOf(job: Job): string[] {
  if (job.needs === undefined) return [];
  return Array.isArray(job.needs) ? job.needs : [job.needs];
}

/**
 * `./actions/<name>` (this repository's own workflows) or `OWNER/trinity-issue-sandbox/actions/<name>@v1`
 * (the reusable workflow, which runs in the caller's repository) → `<name>`: an action this repository
 * ships.
 */
export function localAction(uses: string | undefined): string | undefined {
  const local = /^\.\/actions\/([a-z0-9-]+)\/?$/.exec(uses ?? '');
  if (local) return local[1];
  const published = `${PRODUCT_REPOSITORY}/actions/`;
  const suffix = `@${PRODUCT_MAJOR_TAG}`;
  if (uses?.startsWith(published) !== true || !uses.endsWith(suffix)) return undefined;
  const name = uses.slice(published.length, -suffix.length);
  return /^[a-z0-9-]+$/.test(name) ? name : undefined;
}

/** A `uses: ./…` step: resolved against the workspace, so the job must check the repository out first. */
export function needsCheckout(uses: string | undefined): boolean {
  return uses?.startsWith('./') === true;
}

export function localActionExists(name: string): boolean {
  return existsSync(join(repoRoot, 'actions', name, 'action.yml'));
}

export { readActionMetadata };

/** Every string anywhere in a value, with its path, for scanning expressions. */
export function strings(value: unknown, path = ''): Array<{ path: string; text: string }> {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => strings(item, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      strings(item, path === '' ? key : `${path}.${key}`),
    );
  }
  return [];
}

export interface Scenario {
  eventName: string;
  /** `github.event`; a workflow_dispatch payload carries the inputs as strings in `inputs`. */
  payload?: Record<string, unknown>;
  /** The `inputs` context (a dispatched workflow's own inputs; a called workflow's workflow_call inputs). */
  inputs?: Record<string, Value>;
  vars?: Record<string, Value>;
  /** Outputs of the jobs that run, by job id. */
  outputs?: Record<string, Record<string, Value>>;
  /** Jobs that fail when they run. */
  failing?: string[];
}

/**
 * Which jobs run for a scenario, in the order GitHub would start them: a job starts when all the
 * jobs it needs are done; it runs when its `if` (with an implicit `success()` unless it names a
 * status function) is true; a job that does not run is skipped.
 */
export function jobsThatRun(workflow: Workflow, scenario: Scenario): string[] {
  const results: Record<string, 'success' | 'failure' | 'skipped'> = {};
  const order: string[] = [];
  const pending = new Set(Object.keys(workflow.jobs));
  while (pending.size > 0) {
    const ready = [...pending].filter((id) =>
      needsOf(workflow.jobs[id] as Job).every((need) => results[need] !== undefined),
    );
    if (ready.length === 0)
      throw new Error(`jobs ${[...pending].join(', ')} need each other or a missing job`);
    for (const id of ready) {
      pending.delete(id);
      const job = workflow.jobs[id] as Job;
      const needs = Object.fromEntries(needsOf(job).map((need) => [need, results[need] ?? 'skipped']));
      const status: JobStatus = { needs, cancelled: false };
      const context: Record<string, Value> = {
        github: { event_name: scenario.eventName, event: (scenario.payload ?? {}) as Value },
        inputs: scenario.inputs ?? {},
        vars: scenario.vars ?? {},
        secrets: {},
        needs: Object.fromEntries(
          needsOf(job).map((need) => [
            need,
            { result: results[need] ?? 'skipped', outputs: scenario.outputs?.[need] ?? {} },
          ]),
        ),
      };
      const condition = job.if ?? 'success()';
      const implicit = usesStatusFunction(condition)
        ? true
        : Object.values(needs).every((r) => r === 'success');
      const runs = implicit && truthy(evaluate(condition, context, status));
      results[id] = !runs ? 'skipped' : scenario.failing?.includes(id) ? 'failure' : 'success';
      if (runs) order.push(id);
    }
  }
  return order;
}
