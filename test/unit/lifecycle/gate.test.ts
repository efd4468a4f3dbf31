import { describe, expect, it } from 'vitest';
import { decideGate, type IssueState } from '@trinity/core';

const issue = (
  authorAssociation: string,
  labels: string[] = [],
): Extract<IssueState, { kind: 'open' | 'closed' }> => ({
  kind: 'open',
  number: 7,
  title: 't',
  htmlUrl: 'https://github.com/o/r/issues/7',
  author: 'stranger',
  authorAssociation,
  labels,
});
const policy = {
  allowedAssociations: ['OWNER', 'MEMBER', 'COLLABORATOR'],
  requiredLabel: 'sandbox',
  maxSandboxes: undefined,
};

describe('decideGate: who may spend the Railway credit', () => {
  it('allows members by association', () => {
    expect(decideGate(issue('MEMBER'), policy, 0)).toEqual({
      allowed: true,
      reason: 'author association MEMBER is allowed',
    });
  });

  it('refuses a stranger, saying who, why and that a maintainer can add the label', () => {
    const decision = decideGate(issue('NONE'), policy, 0);
    expect(decision).toEqual({
      allowed: false,
      who: 'stranger (none)',
      why: "the author's association with the repository (NONE) is not one of OWNER, MEMBER, COLLABORATOR",
      how: 'a maintainer adds the label "sandbox" to this issue',
    });
  });

  it('lets the required label (any case) admit a stranger', () => {
    expect(decideGate(issue('FIRST_TIME_CONTRIBUTOR', ['Sandbox']), policy, 0)).toMatchObject({
      allowed: true,
      reason: 'label "sandbox"',
    });
    expect(decideGate(issue('NONE', ['bug']), policy, 0).allowed).toBe(false);
  });

  it('without a required label, says how to allow the association instead', () => {
    const decision = decideGate(issue('CONTRIBUTOR'), { ...policy, requiredLabel: undefined }, 0);
    expect(decision).toMatchObject({
      allowed: false,
      how: expect.stringContaining('allowed-associations') as string,
    });
  });

  it('refuses even a member once max-sandboxes are live', () => {
    const capped = { ...policy, maxSandboxes: 3 };
    expect(decideGate(issue('OWNER'), capped, 2).allowed).toBe(true);
    expect(decideGate(issue('OWNER'), capped, 3)).toMatchObject({
      allowed: false,
      why: '3 sandboxes are live and max-sandboxes is 3',
    });
  });
});
