import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redactText } from '../journal/sanitize.js';
import type { FarmRow } from '../farm/types.js';
import type { RailwayTarget } from './railway-target.js';

export interface ArchivedLogs {
  directory: string;
  files: string[];
  lines: number;
}

const ARCHIVE_LINES = 5_000;

/**
 * Keeps the sandbox's last build and deploy logs before the service (and with it the logs) is
 * deleted: redacted files in `directory`, which the workflow uploads with actions/upload-artifact.
 * Uploading from the workflow (rather than from inside the action) keeps the action free of the
 * artifact service's private API and lets users choose retention. A service without deployments
 * archives nothing; a log that cannot be read is noted, not fatal: deleting the sandbox matters more.
 */
export async function archiveLogs(
  railway: RailwayTarget,
  row: FarmRow,
  directory: string,
  secrets: readonly string[],
): Promise<ArchivedLogs> {
  const archived: ArchivedLogs = { directory, files: [], lines: 0 };
  let deploymentId = row.deployment_id;
  try {
    deploymentId =
      (await railway.client.getServiceInstance(row.service_id, railway.environmentId)).latestDeployment?.id ??
      deploymentId;
  } catch {
    // The service may already be gone; fall back to the recorded deployment.
  }
  if (deploymentId === undefined) return archived;
  await mkdir(directory, { recursive: true });
  for (const [kind, read] of [
    ['build', () => railway.client.buildLogs(deploymentId, ARCHIVE_LINES)],
    ['deploy', () => railway.client.deploymentLogs(deploymentId, ARCHIVE_LINES)],
  ] as const) {
    let text: string;
    try {
      const lines = await read();
      archived.lines += lines.length;
      text = lines
        .map((line) => `${line.timestamp} ${line.severity ?? ''} ${redactText(line.message, { secrets })}`)
        .join('\n');
    } catch (error) {
      text = `(could not read the ${kind} logs: ${redactText(error instanceof Error ? error.message : String(error), { secrets })})`;
    }
    const file = `issue-${row.issue}-${row.service_id}-${kind}.log`;
    await writeFile(join(directory, file), `${text}\n`, 'utf8');
    archived.files.push(file);
  }
  return archived;
}
