import type { DeploymentScenario, DeploymentStatus } from './types.js';

export const DEFAULT_SCENARIO: Required<DeploymentScenario> = {
  outcome: 'success',
  queuedMs: 1_000,
  buildMs: 30_000,
  deployMs: 10_000,
  crashAfterMs: 5_000,
  buildLogLines: 12,
};

export interface Phase {
  status: DeploymentStatus;
  /** Offset from the deployment's creation at which the status is entered. */
  at: number;
}

export interface LogLine {
  at: number;
  message: string;
  severity: 'info' | 'error';
}

export interface Lifecycle {
  scenario: Required<DeploymentScenario>;
  phases: Phase[];
  buildLogs: LogLine[];
  deployLogs: LogLine[];
}

export function resolveScenario(s: DeploymentScenario | undefined): Required<DeploymentScenario> {
  return { ...DEFAULT_SCENARIO, ...stripUndefined(s ?? {}) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * crashes_after_deploy goes QUEUED → BUILDING → DEPLOYING → SUCCESS → CRASHED: without a
 * healthcheck Railway marks a deployment SUCCESS as soon as the container starts, and only
 * later, when the process exits and the restart policy gives up, the deployment turns CRASHED.
 */
export function phasesFor(s: Required<DeploymentScenario>): Phase[] {
  const built = s.queuedMs + s.buildMs;
  const live = built + s.deployMs;
  const phases: Phase[] = [
    { status: 'QUEUED', at: 0 },
    { status: 'BUILDING', at: s.queuedMs },
  ];
  if (s.outcome === 'build_fails') return [...phases, { status: 'FAILED', at: built }];
  phases.push({ status: 'DEPLOYING', at: built }, { status: 'SUCCESS', at: live });
  if (s.outcome === 'crashes_after_deploy') phases.push({ status: 'CRASHED', at: live + s.crashAfterMs });
  return phases;
}

export interface LifecycleContext {
  serviceName: string;
  source: string;
  plantedSecret: string;
}

export function buildLifecycle(scenario: DeploymentScenario | undefined, ctx: LifecycleContext): Lifecycle {
  const s = resolveScenario(scenario);
  const phases = phasesFor(s);
  return { scenario: s, phases, buildLogs: buildLogLines(s, ctx), deployLogs: deployLogLines(s, ctx) };
}

function spread(start: number, span: number, messages: string[]): LogLine[] {
  return messages.map((message, i) => ({
    at: start + Math.floor((span * (i + 1)) / (messages.length + 1)),
    message,
    severity: 'info' as const,
  }));
}

// Lines mimic a Railpack/BuildKit build so that parsers and redaction see realistic text; the
// DATABASE_URL line is the `echo $DATABASE_URL` mistake that leaks a secret into the build log.
function buildLogLines(s: Required<DeploymentScenario>, ctx: LifecycleContext): LogLine[] {
  const url = databaseUrl(ctx.plantedSecret);
  const pool = [
    `[Region: us-west1]`,
    `Using Detected Dockerfile`,
    `[internal] load build definition from Dockerfile`,
    `[internal] load metadata for docker.io/library/node:20-alpine`,
    `[1/5] FROM docker.io/library/node:20-alpine`,
    `[2/5] WORKDIR /app`,
    `[3/5] COPY package*.json ./`,
    `[4/5] RUN echo $DATABASE_URL`,
    `${url}`,
    `[5/5] RUN npm ci`,
    `added 312 packages, and audited 313 packages in 9s`,
    `exporting to image`,
    `naming to ${ctx.source}`,
  ];
  const n = Math.max(1, s.buildLogLines);
  const messages = Array.from({ length: n }, (_, i) => pool[i % pool.length] ?? '');
  // The secret must appear even when the caller asks for very few lines.
  if (!messages.some((m) => m.includes(ctx.plantedSecret))) messages[n - 1] = url;
  const lines = spread(s.queuedMs, s.buildMs, messages);
  const end = s.queuedMs + s.buildMs;
  if (s.outcome === 'build_fails') {
    lines.push(
      { at: end, message: 'npm ERR! code ERESOLVE', severity: 'error' },
      {
        at: end,
        message:
          'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
        severity: 'error',
      },
    );
  } else {
    lines.push({
      at: end,
      message: `Build time: ${(s.buildMs / 1000).toFixed(2)} seconds`,
      severity: 'info',
    });
  }
  return lines;
}

function deployLogLines(s: Required<DeploymentScenario>, ctx: LifecycleContext): LogLine[] {
  if (s.outcome === 'build_fails') return [];
  const start = s.queuedMs + s.buildMs;
  const live = start + s.deployMs;
  const lines = spread(start, s.deployMs, [
    'Starting Container',
    `> ${ctx.serviceName}@1.0.0 start`,
    `connecting to ${databaseUrl(ctx.plantedSecret)}`,
  ]);
  lines.push({ at: live, message: 'Server listening on port 8080', severity: 'info' });
  if (s.outcome === 'crashes_after_deploy') {
    const crash = live + s.crashAfterMs;
    lines.push(
      { at: crash, message: 'Error: connect ECONNREFUSED 10.0.0.12:5432', severity: 'error' },
      { at: crash, message: 'Process exited with code 1', severity: 'error' },
    );
  }
  return lines;
}

function databaseUrl(secret: string): string {
  return `DATABASE_URL=postgresql://postgres:${secret}@postgres.railway.internal:5432/railway`;
}

/** Index of the phase the deployment is in after `elapsed` ms. */
export function phaseIndexAt(phases: Phase[], elapsed: number): number {
  let idx = 0;
  phases.forEach((p, i) => {
    if (p.at <= elapsed) idx = i;
  });
  return idx;
}
