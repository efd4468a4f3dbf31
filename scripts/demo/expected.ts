/**
 * What the demo's story must leave behind, shared by the demo's own checks (checks.ts) and its
 * test (test/e2e/demo.test.ts), so the two cannot disagree about how the story ends.
 */

/** The journal events of the thread, in order: one per event comment. */
export const EXPECTED_EVENTS = [
  'sandbox_created',
  'deployment_started',
  'deployment_succeeded',
  'step_completed',
  'step_completed',
  // /sandbox redeploy: the new deployment, then the command's answer.
  'deployment_started',
  'deployment_succeeded',
  'step_completed',
  'step_completed',
  'sandbox_destroyed',
] as const;
