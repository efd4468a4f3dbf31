/**
 * `tri doctor`'s check of the farm file on the farm branch, read the way the actions read it (the
 * commit backend: one GraphQL query, the Git blobs API for a large file) and parsed by the core's
 * parser, so what passes here passes in a run.
 */
import {
  createApiCommitBackend,
  FarmCorruptError,
  parseFarm,
  UnsupportedFarmVersionError,
  UserError,
  type GitHubClient,
  type Logger,
} from '@trinity/core';
import type { RepoFacts } from './checks-github.js';
import { fail, ok, warn, type Finding } from './findings.js';

/** docs/formats.md: "the file works at 50,000 rows" (measured in docs/PERFORMANCE.md). */
export const FARM_ROWS_MEASURED = 50_000;

export async function checkFarmFile(
  octokit: GitHubClient,
  facts: RepoFacts,
  branch: string,
  path: string,
  logger: Logger,
): Promise<Finding> {
  const id = 'farm.file';
  const backend = createApiCommitBackend({
    octokit,
    owner: facts.owner,
    repo: facts.repo,
    branch,
    logger,
    // Only `read` is called: the race loop, which sleeps between lost commits, never runs.
    race: { sleep: () => Promise.resolve(), random: () => 0 },
  });
  let text: string | undefined;
  try {
    text = await backend.read(path);
  } catch (error) {
    // The backend's own words: the branch is missing, or the path is a directory.
    if (!(error instanceof UserError)) throw error;
    return fail(
      id,
      error.message,
      `Create branch ${branch} or pass the farm branch the workflow uses (--farm-branch).`,
    );
  }
  if (text === undefined) {
    return ok(id, `${path} is not on ${branch} yet; the first run creates it.`);
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  const size =
    bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
  let rows: number;
  try {
    rows = parseFarm(text, path).agent_map.length;
  } catch (error) {
    if (!(error instanceof FarmCorruptError || error instanceof UnsupportedFarmVersionError)) throw error;
    return fail(
      id,
      `${path} on ${branch} cannot be read: ${error.message}`,
      `Repair ${path} on ${branch} (or restore it from its history: \`git log -- ${path}\`); every run stops until then.`,
    );
  }
  const what = `${path} on ${branch} is valid: ${rows} row${rows === 1 ? '' : 's'}, ${size}.`;
  if (rows > FARM_ROWS_MEASURED) {
    return warn(
      id,
      `${what} That is more rows than the ${FARM_ROWS_MEASURED.toLocaleString('en-US')} the file is measured at ` +
        '(docs/formats.md); every run reads and rewrites all of them.',
      'Run the sweep (destroy-sandbox with sweep: true): it drops rows of sandboxes destroyed more than ' +
        'retain-destroyed-days ago; lower that input to drop more.',
    );
  }
  return ok(id, what);
}
