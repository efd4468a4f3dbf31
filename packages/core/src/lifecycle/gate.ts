import type { IssueState } from '../github/issue-state.js';

export type GateDecision =
  { allowed: true; reason: string } | { allowed: false; who: string; why: string; how: string };

export interface GatePolicy {
  allowedAssociations: readonly string[];
  requiredLabel: string | undefined;
  maxSandboxes: number | undefined;
}

/**
 * Who may spend the repository's Railway credit. On a public repository anyone can open an issue,
 * and issue workflows run with secrets, so a sandbox is created only for an author whose
 * association is allowed, or for an issue a maintainer labelled, and only within the cap.
 */
export function decideGate(
  issue: Extract<IssueState, { kind: 'open' | 'closed' }>,
  policy: GatePolicy,
  liveSandboxes: number,
): GateDecision {
  const who = `${issue.author} (${issue.authorAssociation.toLowerCase().replace(/_/g, ' ')})`;
  const labelled =
    policy.requiredLabel !== undefined &&
    issue.labels.some((label) => label.toLowerCase() === policy.requiredLabel?.toLowerCase());
  const associated = policy.allowedAssociations.includes(issue.authorAssociation);
  if (!associated && !labelled) {
    return {
      allowed: false,
      who,
      why: `the author's association with the repository (${issue.authorAssociation}) is not one of ${policy.allowedAssociations.join(', ')}`,
      how:
        policy.requiredLabel !== undefined
          ? `a maintainer adds the label "${policy.requiredLabel}" to this issue`
          : 'a maintainer adds the association to allowed-associations, or sets required-label in the workflow and labels this issue',
    };
  }
  if (policy.maxSandboxes !== undefined && liveSandboxes >= policy.maxSandboxes) {
    return {
      allowed: false,
      who,
      why: `${liveSandboxes} sandboxes are live and max-sandboxes is ${policy.maxSandboxes}`,
      how: 'close issues whose sandboxes are no longer needed (or raise max-sandboxes), then reopen or relabel this issue',
    };
  }
  return {
    allowed: true,
    reason: associated
      ? `author association ${issue.authorAssociation} is allowed`
      : `label "${policy.requiredLabel ?? ''}"`,
  };
}
