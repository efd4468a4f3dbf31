/**
 * The journal's event types (docs/formats.md, 'Events'). The first six come from the original
 * issue; the next two close the lifecycle (a sandbox removed, a request the gate refused); the last
 * is a deployment that Railway holds (waiting for CI, awaiting approval), which is neither a
 * success nor a failure. `run_stopped` is written by an action's `post:` step when its run was
 * cancelled or timed out before it could report (docs/actions.md, 'Cancelled and timed-out runs').
 */
export const EVENT_TYPES = [
  'sandbox_created',
  'deployment_started',
  'deployment_succeeded',
  'deployment_failed',
  'step_completed',
  'build_failed',
  'sandbox_destroyed',
  'sandbox_refused',
  'deployment_waiting',
  'run_stopped',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
