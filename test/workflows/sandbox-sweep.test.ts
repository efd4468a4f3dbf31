import { describe, expect, it } from 'vitest';
import { evaluate, interpolate } from './support/expressions.js';
import { describeWorkflowHygiene } from './support/hygiene.js';
import { loadWorkflow } from './support/workflow.js';

const FILE = 'sandbox-sweep.yml';
const workflow = loadWorkflow(FILE);

describeWorkflowHygiene(FILE, { deployments: 'write' });

describe(`${FILE}`, () => {
  it('runs on a schedule and on workflow_dispatch, and on nothing else', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const schedule = workflow.on.schedule as Array<{ cron: string }>;
    expect(schedule.length).toBeGreaterThan(0);
    for (const { cron } of schedule) expect(cron.trim().split(/\s+/)).toHaveLength(5);
  });

  it("may write deployments, so a swept sandbox's GitHub deployment becomes inactive", () => {
    expect(workflow.permissions).toEqual({ contents: 'write', issues: 'write', deployments: 'write' });
  });

  it('never cancels a sweep that is deleting', () => {
    expect(workflow.concurrency).toEqual({ group: 'sandbox-sweep', 'cancel-in-progress': false });
  });

  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const sweep = steps.find((step) => step.uses === './actions/destroy-sandbox');

  it('sweeps with destroy-sandbox, with a ttl from SANDBOX_TTL defaulting to 7d', () => {
    expect(sweep?.with?.sweep).toBe('true');
    const ttl = String(sweep?.with?.ttl);
    expect(interpolate(ttl, { vars: {} })).toBe('7d');
    expect(interpolate(ttl, { vars: { SANDBOX_TTL: '72h' } })).toBe('72h');
    expect(sweep?.with).not.toHaveProperty('issue-number');
    expect(sweep?.with).toMatchObject({
      'railway-token': '${{ secrets.RAILWAY_TOKEN }}',
      'railway-project-id': '${{ vars.RAILWAY_PROJECT_ID }}',
      'railway-environment-id': '${{ vars.RAILWAY_ENVIRONMENT_ID }}',
    });
  });

  it('uploads the archived logs, also after a failure, and only when there are some', () => {
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@') === true);
    expect(upload?.with?.path).toBe(`\${{ steps.${sweep?.id}.outputs.logs-path }}`);
    const condition = String(upload?.if);
    expect(condition).toMatch(/always\(\)/);
    const at = (path: string) => ({ steps: { [String(sweep?.id)]: { outputs: { 'logs-path': path } } } });
    expect(evaluate(condition, at('/tmp/logs'))).toBe(true);
    expect(evaluate(condition, at(''))).toBe(false);
  });
});
