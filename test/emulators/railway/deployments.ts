import type { DeploymentScenario, DeploymentStatus } from './types.js';

export const DEFAULT_SCENARIO: Required<DeploymentScenario> = {
  outcome: 'success',
  queuedMs: 1_000,
  buildMs: 30_000,
  deployMs: 10_000,
  crashAfterMs: 5_000,
  waitMs: 20_000,
  buildLogLines: 12,
};

export interface Phase {
  status: DeploymentStatus;
  /** Offset from the deployment's creation at which the status is entered. */
  at: number;
  /** `Deployment.deploymentStopped`: every instance has stopped (SUCCESS + stopped is "Completed"). */
  stopped?: boolean;
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
 * Every deployment begins INITIALIZING; an image source skips the build (INITIALIZING →
 * DEPLOYING), a repo source builds first (INITIALIZING → BUILDING → DEPLOYING → SUCCESS).
 * crashes_after_deploy goes on SUCCESS → CRASHED: without a healthcheck Railway marks a deployment
 * SUCCESS as soon as the container starts, and CRASHED when the process exits and the restart policy
 * gives up. FAILED covers build and deploy failures alike (a healthcheck that never passes).
 */
export function phasesFor(s: Required<DeploymentScenario>, image: boolean): Phase[] {
  const phases: Phase[] = [{ status: 'INITIALIZING', at: 0 }];
  let t = s.queuedMs;
  if (s.outcome === 'needs_approval') return [...phases, { status: 'NEEDS_APPROVAL', at: t }];
  if (s.outcome === 'waits_for_ci' || s.outcome === 'ci_fails') {
    phases.push({ status: 'WAITING', at: t });
    t += s.waitMs;
    if (s.outcome === 'ci_fails') return [...phases, { status: 'SKIPPED', at: t }];
  }
  if (!image) {
    phases.push({ status: 'BUILDING', at: t });
    t += s.buildMs;
    if (s.outcome === 'build_fails') return [...phases, { status: 'FAILED', at: t }];
  } else if (s.outcome === 'build_fails') {
    throw new Error('Scenario build_fails needs a repo source: Railway skips the build of an image.');
  }
  phases.push({ status: 'DEPLOYING', at: t });
  t += s.deployMs;
  if (s.outcome === 'healthcheck_fails') return [...phases, { status: 'FAILED', at: t }];
  phases.push({ status: 'SUCCESS', at: t });
  if (s.outcome === 'crashes_after_deploy') phases.push({ status: 'CRASHED', at: t + s.crashAfterMs });
  if (s.outcome === 'completes') phases.push({ status: 'SUCCESS', at: t + s.crashAfterMs, stopped: true });
  return phases;
}

/** When the build starts and how long it takes (no time at all for an image), and when the app starts. */
function timeline(
  s: Required<DeploymentScenario>,
  image: boolean,
): { build: number; buildMs: number; deploy: number } {
  const waited = s.outcome === 'waits_for_ci' || s.outcome === 'ci_fails' ? s.waitMs : 0;
  const build = s.queuedMs + waited;
  const buildMs = image ? 0 : s.buildMs;
  return { build, buildMs, deploy: build + buildMs };
}

export interface LifecycleContext {
  serviceName: string;
  source: string;
  /** An image source: no build phase. */
  image: boolean;
  plantedSecret: string;
}

export function buildLifecycle(scenario: DeploymentScenario | undefined, ctx: LifecycleContext): Lifecycle {
  const s = resolveScenario(scenario);
  const phases = phasesFor(s, ctx.image);
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
  if (s.outcome === 'needs_approval' || s.outcome === 'ci_fails') return [];
  // An image is not built; its "build" log (the image pull, here the same lines) is all there at once.
  const { build, buildMs } = timeline(s, ctx.image);
  const lines = spread(build, buildMs, messages);
  const end = build + buildMs;
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
      message: `Build time: ${(buildMs / 1000).toFixed(2)} seconds`,
      severity: 'info',
    });
  }
  return lines;
}

function deployLogLines(s: Required<DeploymentScenario>, ctx: LifecycleContext): LogLine[] {
  if (s.outcome === 'build_fails' || s.outcome === 'needs_approval' || s.outcome === 'ci_fails') return [];
  const start = timeline(s, ctx.image).deploy;
  const live = start + s.deployMs;
  if (s.outcome === 'healthcheck_fails') {
    return [
      ...spread(start, s.deployMs, ['Starting Container', `> ${ctx.serviceName}@1.0.0 start`]),
      { at: live, message: 'Healthcheck failed: /health never answered 200', severity: 'error' },
    ];
  }
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
  if (s.outcome === 'completes') {
    lines.push({
      at: live + s.crashAfterMs,
      message: 'Done: nothing left to do, exiting 0',
      severity: 'info',
    });
  }
  return lines;
}

function databaseUrl(secret: string): string {
  return `DATABASE_URL=postgresql://postgres:${secret}@postgres.railway.internal:5432/railway`;
}

/** Index of the phase the deployment is in after `elapsed` ms (phases are in time order). */
export function phaseIndexAt(phases: Phase[], elapsed: number): number {
  let idx = 0;
  phases.forEach((p, i) => {
    if (p.at <= elapsed) idx = i;
  });
  return idx;
}
