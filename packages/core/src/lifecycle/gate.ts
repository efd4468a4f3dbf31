import { readWriteAccess, type WriteAccess } from '../github/collaborators.js';
import type { IssueState } from '../github/issue-state.js';
import type { LifecycleContext } from './context.js';

/**
 * `kind` names the reason without its figures (`max-sandboxes`, `capacity`), so that a refusal
 * whose counts move is still the same refusal, posted once.
 */
export type GateDecision =
  | { allowed: true; reason: string }
  | { allowed: false; who: string; why: string; how: string; kind?: string };

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
  const labelled = hasRequiredLabel(issue, policy);
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
      kind: 'max-sandboxes',
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

function hasRequiredLabel(
  issue: Extract<IssueState, { kind: 'open' | 'closed' }>,
  policy: GatePolicy,
): boolean {
  return (
    policy.requiredLabel !== undefined &&
    issue.labels.some((label) => label.toLowerCase() === policy.requiredLabel?.toLowerCase())
  );
}

/** Asks GitHub whether a person may push to the repository (the collaborator permission endpoint). */
export type ConfirmWriteAccess = (login: string) => Promise<WriteAccess>;

export function writeAccessVia(
  context: Pick<LifecycleContext, 'octokit' | 'owner' | 'repo'>,
): ConfirmWriteAccess {
  return (login) => readWriteAccess(context.octokit, { owner: context.owner, repo: context.repo }, login);
}

/** Associations that write access stands for: it proves them even when GitHub hides them. */
const PROVABLE_ASSOCIATIONS = ['MEMBER', 'COLLABORATOR'];

/**
 * `decideGate`, with one more check before refusing on association: `author_association` as an
 * installation token (GITHUB_TOKEN) sees it says CONTRIBUTOR or NONE for an organization member
 * whose membership is private, which is the default. When the policy admits members or
 * collaborators, write access to the repository (admin, maintain or write) confirmed by the
 * collaborator permission endpoint admits the author too. A refusal says which checks failed.
 */
export async function decideGateConfirmed(
  issue: Extract<IssueState, { kind: 'open' | 'closed' }>,
  policy: GatePolicy,
  liveSandboxes: number,
  confirmWriteAccess: ConfirmWriteAccess,
): Promise<GateDecision> {
  const first = decideGate(issue, policy, liveSandboxes);
  const refusedOnAssociation =
    !policy.allowedAssociations.includes(issue.authorAssociation) && !hasRequiredLabel(issue, policy);
  const confirmable = policy.allowedAssociations.some((a) => PROVABLE_ASSOCIATIONS.includes(a));
  if (first.allowed || !refusedOnAssociation || !confirmable) return first;
  const access = await confirmWriteAccess(issue.author);
  if (access.kind === 'write') {
    const again = decideGate(
      issue,
      { ...policy, allowedAssociations: [...policy.allowedAssociations, issue.authorAssociation] },
      liveSandboxes,
    );
    return again.allowed
      ? {
          allowed: true,
          reason: `${issue.author} has ${access.permission} access to the repository (collaborator permission)`,
        }
      : again;
  }
  const second =
    access.kind === 'less'
      ? `GitHub's collaborator permission check says ${access.permission}, not admin, maintain or write`
      : `GitHub's collaborator permission check could not be made (${access.why})`;
  return { ...first, why: `${first.why}, and ${second}` };
}
