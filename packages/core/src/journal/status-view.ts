import type { FarmRow } from '../farm/types.js';
import type { SandboxStatusView } from './status.js';

/** What the status comment shows for an issue, from its mapping row (or `none` without one). */
export function statusViewFromRow(
  issue: number,
  repo: string,
  row: FarmRow | undefined,
  updatedAt: string,
): Omit<SandboxStatusView, 'lastEvent' | 'recentEvents'> {
  if (row === undefined) return { issue, repo, state: 'none', updatedAt };
  return {
    issue,
    repo,
    state: row.status ?? 'live',
    service: {
      id: row.service_id,
      ...(row.service_name === undefined ? {} : { name: row.service_name }),
      ...(row.project_id === undefined ? {} : { projectId: row.project_id }),
      ...(row.environment_id === undefined ? {} : { environmentId: row.environment_id }),
    },
    ...(row.deployment_id === undefined
      ? {}
      : {
          deployment: {
            id: row.deployment_id,
            ...(row.deployment_status === undefined ? {} : { status: row.deployment_status }),
          },
        }),
    ...(row.url === undefined ? {} : { url: row.url }),
    updatedAt,
  };
}
