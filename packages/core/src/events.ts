/**
 * The journal's event types (SPEC §3.5). The first six come from the original issue; the last two
 * close the lifecycle (a sandbox removed, a request the gate refused).
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
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
