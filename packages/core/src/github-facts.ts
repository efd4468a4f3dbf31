/**
 * What GitHub defines and several layers check against, written once: the settings read inputs
 * with them, the journal validates its files with them, the publisher and the CLI trust and
 * address GitHub with them.
 */

/** GitHub's `owner/name` form of a repository (letters, digits, `-`, `_` and `.` on each side). */
export const REPOSITORY_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** The public GitHub API; a runner's `GITHUB_API_URL` differs from it on GitHub Enterprise Server. */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/** Every value GitHub gives a comment's or an issue's `author_association`. */
export const AUTHOR_ASSOCIATIONS = [
  'OWNER',
  'MEMBER',
  'COLLABORATOR',
  'CONTRIBUTOR',
  'FIRST_TIME_CONTRIBUTOR',
  'FIRST_TIMER',
  'MANNEQUIN',
  'NONE',
] as const;

/**
 * The associations of people who can already write to the repository: the journal honours
 * markers only in their comments (and bots'), and the gate lets them in unless the
 * allowed-associations input says otherwise.
 */
export const TRUSTED_AUTHOR_ASSOCIATIONS = ['OWNER', 'MEMBER', 'COLLABORATOR'] as const;
