import type { GitHubClient } from './octokit.js';
import { statusOf } from './status.js';

/** What the collaborator permission endpoint says of one person's access to the repository. */
export type WriteAccess =
  | { kind: 'write'; permission: string }
  | { kind: 'less'; permission: string }
  | { kind: 'unknown'; why: string };

/**
 * GET /repos/{owner}/{repo}/collaborators/{username}/permission. Its `permission` is the legacy
 * level (admin, write, read, none) that maps maintain to write and triage to read, so `admin` or
 * `write` is what "may push" means for every role, custom roles included; `role_name` is only
 * quoted. An organization member whose membership is private is seen here as it really is, while
 * the author_association shows CONTRIBUTOR or NONE to an installation token.
 */
export async function readWriteAccess(
  octokit: GitHubClient,
  target: { owner: string; repo: string },
  login: string,
): Promise<WriteAccess> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...target, username: login });
    const role =
      typeof data.role_name === 'string' && data.role_name !== '' ? data.role_name : data.permission;
    return data.permission === 'admin' || data.permission === 'write'
      ? { kind: 'write', permission: role }
      : { kind: 'less', permission: role };
  } catch (error) {
    // 404: GitHub knows no such user. Anything else is not an answer about the person.
    if (statusOf(error) === 404) return { kind: 'less', permission: 'none (not a user GitHub knows)' };
    const detail = error instanceof Error ? error.message : String(error);
    return { kind: 'unknown', why: `${statusOf(error) ?? 'no answer'}: ${detail}` };
  }
}
