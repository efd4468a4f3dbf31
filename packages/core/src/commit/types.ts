/**
 * Commit-back: the mapping and the journal are committed to the repository by whichever run
 * changed them. Several runs (one per issue, retried jobs, a sweep) may commit at once, so a commit
 * is never "write these bytes": it is a *planner* that computes the files from what the branch
 * head holds now. A run that loses the race re-reads the newer head and plans again, so every
 * writer's change lands and none overwrites another's.
 */

export interface FileChange {
  /** Repository-relative POSIX path. */
  path: string;
  /** UTF-8 text. */
  content: string;
}

export interface PlannedCommit {
  files: FileChange[];
  message: string;
}

/** Reads a file as it is at the head being committed on top of; `undefined` when absent. */
export type HeadReader = (path: string) => Promise<string | undefined>;

/**
 * Called once per attempt; returns `undefined` when the head already says what it should. `paths`
 * names the files it will read, so a backend can fetch them with the head in one request.
 */
export type CommitPlanner = ((read: HeadReader) => Promise<PlannedCommit | undefined>) & {
  readonly paths?: readonly string[];
};

export interface CommitResult {
  committed: boolean;
  /** The new commit, when one was made. */
  sha: string | undefined;
  branch: string;
  attempts: number;
  paths: string[];
}

export interface CommitBackend {
  readonly mode: 'api' | 'git';
  /** A file as the branch head has it now (`undefined` when absent): what the next commit builds on. */
  read(path: string): Promise<string | undefined>;
  commit(plan: CommitPlanner): Promise<CommitResult>;
  /**
   * The head and these files as a part of another query (a run's one read, lifecycle/snapshot.ts),
   * so the next `read` and the first commit attempt cost no request of their own. Only the api mode
   * reads through GitHub's GraphQL API; the git mode reads its clone.
   */
  readAlong?(paths: readonly string[]): ReadAlong;
}

/** A backend's part of a larger GraphQL query over `repository(owner: $owner, name: $name)`. */
export interface ReadAlong {
  /** Variable definitions (`$ref: String!`, …) the selection uses. */
  variables: string[];
  /** Their values. */
  values: Record<string, unknown>;
  /** Fields inside `repository { … }`. */
  selection: string;
  /** Fragment definitions to append to the document ('' for none). */
  fragments: string;
  /** Takes the `repository` object of the answer. */
  accept(repository: unknown): void;
}

/** Thrown inside an attempt when another writer moved the branch first; the loop re-plans. */
export class LostRaceError extends Error {
  override readonly name = 'LostRaceError';
}

/** The identity commits are made under, the one GitHub shows for workflow commits. */
export const BOT_IDENTITY = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
} as const;
