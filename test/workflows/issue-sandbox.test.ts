import { describe, expect, it } from 'vitest';
import { issueCommentPayload, issuesPayload } from '../support/webhook-payloads.js';
import { evaluate, interpolate, type Value } from './support/expressions.js';
import { describeWorkflowHygiene } from './support/hygiene.js';
import { type Scenario, jobsThatRun, loadWorkflow, strings } from './support/workflow.js';

const FILE = 'issue-sandbox.yml';
const workflow = loadWorkflow(FILE);
/** Generated from FILE by `npm run docs` (docs.test.ts checks it is current): the same routing, called. */
const REUSABLE = 'issue-sandbox-reusable.yml';
const reusable = loadWorkflow(REUSABLE);

describeWorkflowHygiene(FILE, { deployments: 'write' });
describeWorkflowHygiene(REUSABLE, { deployments: 'write' });

function onIssue(action: string, change: (payload: Record<string, unknown>) => void = () => {}): Scenario {
  // @octokit/webhooks-examples has no issues.closed: it is the reopened payload the other way round.
  const payload = issuesPayload(action === 'closed' ? 'reopened' : action);
  if (action === 'closed') {
    payload.action = 'closed';
    (payload.issue as Record<string, unknown>).state = 'closed';
  }
  change(payload);
  return { eventName: 'issues', payload };
}

function withLabel(name: string, state = 'open') {
  return (payload: Record<string, unknown>): void => {
    payload.label = { ...(payload.label as object), name };
    payload.issue = { ...(payload.issue as object), state };
  };
}

function byAuthor(association: string, label: string) {
  return (payload: Record<string, unknown>): void => {
    withLabel(label)(payload);
    payload.issue = { ...(payload.issue as object), author_association: association };
  };
}

function onComment(action: string, body: string, pullRequest = false): Scenario {
  return { eventName: 'issue_comment', payload: issueCommentPayload(action, body, { pullRequest }) };
}

/**
 * A manual run. The jobs read `github.event.inputs`, which GitHub fills with strings, and which a called
 * workflow sees too; the `inputs` context is left empty so that a job reading it would not route.
 */
function dispatch(operation: string, extra: Record<string, string> = {}): Scenario {
  return {
    eventName: 'workflow_dispatch',
    payload: { inputs: { 'issue-number': '506', operation, ...extra } },
    inputs: {},
  };
}

describe(`${FILE}: triggers`, () => {
  it('runs on exactly the seven issue events, new comments and workflow_dispatch', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['issue_comment', 'issues', 'workflow_dispatch']);
    // An edited comment is never a command (docs/commands.md): only `created` starts a run.
    expect((workflow.on.issue_comment as { types: string[] }).types).toEqual(['created']);
    const issues = workflow.on.issues as { types: string[] };
    expect([...issues.types].sort()).toEqual(
      ['closed', 'deleted', 'labeled', 'opened', 'reopened', 'transferred', 'unlabeled'].sort(),
    );
  });

  it('takes an issue number, an operation to choose and a message from workflow_dispatch', () => {
    const inputs = (workflow.on.workflow_dispatch as { inputs: Record<string, Record<string, unknown>> })
      .inputs;
    expect(Object.keys(inputs).sort()).toEqual(['issue-number', 'message', 'operation']);
    expect(inputs['issue-number']).toMatchObject({ required: true });
    expect(inputs.operation).toMatchObject({
      required: true,
      type: 'choice',
      options: ['provision', 'deploy', 'destroy', 'journal'],
    });
    expect(inputs.message?.required).not.toBe(true);
  });
});

describe(`${FILE}: concurrency`, () => {
  const concurrency = workflow.concurrency as Record<string, unknown>;

  it('queues every run of an issue in one group, cancelling and dropping none', () => {
    expect(concurrency['cancel-in-progress']).toBe(false);
    expect(concurrency.queue).toBe('max');
  });

  it('keys the group by the issue number, for issue events and for workflow_dispatch alike', () => {
    const group = concurrency.group as string;
    const fromEvent = interpolate(group, { github: { event: { issue: { number: 506 } } }, inputs: {} });
    const fromDispatch = interpolate(group, {
      github: { event: { inputs: { 'issue-number': '506' } } },
      inputs: {},
    });
    expect(fromEvent).toBe('issue-sandbox-506');
    expect(fromDispatch).toBe(fromEvent);
    const other = interpolate(group, { github: { event: { issue: { number: 507 } } }, inputs: {} });
    expect(other).not.toBe(fromEvent);
  });
});

describe(`${FILE}: which jobs run`, () => {
  const cases: Array<[string, Scenario, string[]]> = [
    ['opened', onIssue('opened'), ['provision', 'deploy']],
    ['reopened', onIssue('reopened'), ['provision', 'deploy']],
    ['labeled with the default label', onIssue('labeled', withLabel('sandbox')), ['provision', 'deploy']],
    ['labeled with another label', onIssue('labeled', withLabel('bug')), []],
    ['labeled on a closed issue', onIssue('labeled', withLabel('sandbox', 'closed')), []],
    [
      'labeled with SANDBOX_LABEL',
      { ...onIssue('labeled', withLabel('preview')), vars: { SANDBOX_LABEL: 'preview' } },
      ['provision', 'deploy'],
    ],
    [
      'labeled with the default label when SANDBOX_LABEL names another',
      { ...onIssue('labeled', withLabel('sandbox')), vars: { SANDBOX_LABEL: 'preview' } },
      [],
    ],
    // The label allowed the sandbox of an author who may not have one otherwise: removing it takes it back.
    ['unlabeled the label, author NONE', onIssue('unlabeled', byAuthor('NONE', 'sandbox')), ['destroy']],
    [
      'unlabeled the label, author CONTRIBUTOR',
      onIssue('unlabeled', byAuthor('CONTRIBUTOR', 'sandbox')),
      ['destroy'],
    ],
    [
      'unlabeled SANDBOX_LABEL, author NONE',
      { ...onIssue('unlabeled', byAuthor('NONE', 'preview')), vars: { SANDBOX_LABEL: 'preview' } },
      ['destroy'],
    ],
    ['unlabeled the label, author OWNER', onIssue('unlabeled', byAuthor('OWNER', 'sandbox')), []],
    ['unlabeled the label, author MEMBER', onIssue('unlabeled', byAuthor('MEMBER', 'sandbox')), []],
    [
      'unlabeled the label, author COLLABORATOR',
      onIssue('unlabeled', byAuthor('COLLABORATOR', 'sandbox')),
      [],
    ],
    ['unlabeled another label', onIssue('unlabeled', byAuthor('NONE', 'bug')), []],
    ['closed', onIssue('closed'), ['destroy']],
    ['deleted', onIssue('deleted'), ['destroy']],
    ['transferred', onIssue('transferred'), ['destroy']],
    ['dispatch provision', dispatch('provision'), ['provision', 'deploy']],
    ['dispatch deploy', dispatch('deploy'), ['deploy']],
    ['dispatch destroy', dispatch('destroy'), ['destroy']],
    ['dispatch journal', dispatch('journal', { message: 'Ran the tests' }), ['journal']],
    ['a /sandbox comment', onComment('created', 'Please\n/sandbox redeploy'), ['command']],
    ['an ordinary comment', onComment('created', 'Looks good'), []],
    ['an edited /sandbox comment', onComment('edited', '/sandbox redeploy'), []],
    ['a /sandbox comment on a pull request', onComment('created', '/sandbox redeploy', true), []],
  ];
  for (const [name, scenario, expected] of cases) {
    it(`${name} → ${expected.join(', ') || 'nothing'}`, () => {
      expect(jobsThatRun(workflow, scenario).sort()).toEqual([...expected].sort());
    });
    it(`${name} → the same jobs in ${REUSABLE}, called`, () => {
      expect(jobsThatRun(reusable, scenario).sort()).toEqual([...expected].sort());
    });
  }

  it('does not deploy when provisioning was refused or failed', () => {
    const refused = { ...onIssue('opened'), outputs: { provision: { status: 'refused' } } };
    expect(jobsThatRun(workflow, refused)).toEqual(['provision']);
    const failed = { ...onIssue('opened'), failing: ['provision'] };
    expect(jobsThatRun(workflow, failed)).toEqual(['provision']);
    const live = { ...onIssue('reopened'), outputs: { provision: { status: 'live' } } };
    expect(jobsThatRun(workflow, live)).toEqual(['provision', 'deploy']);
  });
});

describe(`${FILE}: wiring`, () => {
  const step = (jobId: string, id: string) => workflow.jobs[jobId]?.steps.find((s) => s.id === id);

  it('passes the Railway secret and variables, and the issue number for workflow_dispatch', () => {
    for (const [jobId, id] of [
      ['provision', 'provision'],
      ['deploy', 'deploy'],
      ['destroy', 'destroy'],
    ] as const) {
      expect(step(jobId, id)?.with, `${jobId}.${id}`).toMatchObject({
        'issue-number': '${{ github.event.inputs.issue-number }}',
        'railway-token': '${{ secrets.RAILWAY_TOKEN }}',
        'railway-project-id': '${{ vars.RAILWAY_PROJECT_ID }}',
        'railway-environment-id': '${{ vars.RAILWAY_ENVIRONMENT_ID }}',
      });
    }
    expect(step('journal', 'journal')?.with).toMatchObject({
      'issue-number': '${{ github.event.inputs.issue-number }}',
      message: '${{ github.event.inputs.message }}',
    });
  });

  it('provisions the image and honours the required label, defaulting to "sandbox"', () => {
    const inputs = step('provision', 'provision')?.with ?? {};
    expect(inputs.image).toBe('${{ vars.SANDBOX_IMAGE }}');
    const label = String(inputs['required-label']);
    expect(interpolate(label, { vars: {} })).toBe('sandbox');
    expect(interpolate(label, { vars: { SANDBOX_LABEL: 'preview' } })).toBe('preview');
  });

  it('exposes the provision outputs to later jobs', () => {
    expect(workflow.jobs.provision?.outputs).toEqual({
      'session-id': '${{ steps.provision.outputs.session-id }}',
      'service-id': '${{ steps.provision.outputs.service-id }}',
      status: '${{ steps.provision.outputs.status }}',
      'comment-url': '${{ steps.provision.outputs.comment-url }}',
    });
  });

  it('uploads the archived logs after destroy, also when it failed, and only when there are some', () => {
    const steps = workflow.jobs.destroy?.steps ?? [];
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@') === true);
    expect(upload?.uses).toBe('actions/upload-artifact@v4');
    expect(upload?.with?.path).toBe('${{ steps.destroy.outputs.logs-path }}');
    expect(steps.indexOf(upload as never)).toBeGreaterThan(steps.findIndex((s) => s.id === 'destroy'));
    const condition = String(upload?.if);
    const outputs = (path: string): Record<string, Value> => ({
      steps: { destroy: { outputs: { 'logs-path': path } } },
    });
    expect(evaluate(condition, outputs('/tmp/logs'))).toBe(true);
    expect(evaluate(condition, outputs(''))).toBe(false);
    expect(condition).toMatch(/always\(\)/);
  });

  it('gives the command action the provision settings recreate needs, and no comment text', () => {
    const inputs = step('command', 'command')?.with ?? {};
    expect(inputs).toMatchObject({
      image: '${{ vars.SANDBOX_IMAGE }}',
      'railway-token': '${{ secrets.RAILWAY_TOKEN }}',
      'railway-project-id': '${{ vars.RAILWAY_PROJECT_ID }}',
      'railway-environment-id': '${{ vars.RAILWAY_ENVIRONMENT_ID }}',
    });
    expect(JSON.stringify(inputs)).not.toContain('github.event.comment');
  });

  it('runs no shell at all: issue text has no way into one', () => {
    for (const file of [workflow, reusable]) {
      const runs = Object.values(file.jobs).flatMap((job) => job.steps.filter((s) => s.run !== undefined));
      expect(runs).toEqual([]);
    }
  });

  it('reads the dispatch inputs from github.event.inputs, which a called workflow sees too', () => {
    // In the reusable workflow `inputs.*` are its workflow_call inputs, and it declares none.
    for (const file of [workflow, reusable]) {
      for (const { path, text } of strings(file.jobs, 'jobs')) {
        expect(text.replace(/github\.event\.inputs\./g, ''), path).not.toMatch(/(^|[^.\w])inputs\./);
      }
    }
  });
});
