/**
 * The GraphQL documents the `api` commit mode sends, built per attempt for the paths it reads. Tests
 * validate every shape against GitHub's public schema (`@octokit/graphql-schema`).
 */

const BLOB = 'fragment HeadBlob on Blob { oid text isTruncated byteSize }';

/** `f0`, `f1`, …: the alias (and `$p0`, `$e0` variable) of the n-th path read. */
export const fileAlias = (index: number): string => `f${index}`;

/**
 * The branch head and, at that very commit, each path's blob: one request, one point. Reading the
 * files through the head commit (`Commit.file`) rather than `object(expression: "branch:path")`
 * means the text is that of the oid the commit will name as `expectedHeadOid`, even if the branch
 * moves while GitHub answers. Without a branch name the repository's default branch is read.
 */
export function headQuery(pathCount: number, byDefaultBranch: boolean): string {
  const part = headSelection(pathCount, byDefaultBranch);
  return (
    `query CommitHead(${['$owner: String!', '$name: String!', ...part.variables].join(', ')}) { ` +
    `repository(owner: $owner, name: $name) { ${part.selection} } }${part.fragments === '' ? '' : ` ${part.fragments}`}`
  );
}

/**
 * The head and its files as a part of a larger query (a run's one read): the variables it declares
 * (`$ref`, `$p0`, …), the fields inside `repository { … }` and the fragments it spreads.
 */
export function headSelection(
  pathCount: number,
  byDefaultBranch: boolean,
): { variables: string[]; selection: string; fragments: string } {
  const variables: string[] = [];
  if (!byDefaultBranch) variables.push('$ref: String!');
  const files: string[] = [];
  for (let i = 0; i < pathCount; i++) {
    variables.push(`$p${i}: String!`);
    files.push(`${fileAlias(i)}: file(path: $p${i}) { object { ...HeadBlob } }`);
  }
  const head = byDefaultBranch ? 'head: defaultBranchRef' : 'head: ref(qualifiedName: $ref)';
  return {
    variables,
    selection: `${head} { name target { oid${files.length === 0 ? '' : ` ... on Commit { ${files.join(' ')} }`} } }`,
    fragments: files.length === 0 ? '' : BLOB,
  };
}

/** Files at a commit already read (`<oid>:<path>` expressions): paths the planner asks for late. */
export function filesAtQuery(pathCount: number): string {
  const variables = ['$owner: String!', '$name: String!'];
  const files: string[] = [];
  for (let i = 0; i < pathCount; i++) {
    variables.push(`$e${i}: String!`);
    files.push(`${fileAlias(i)}: object(expression: $e${i}) { ...HeadBlob }`);
  }
  return (
    `query CommitFiles(${variables.join(', ')}) { repository(owner: $owner, name: $name) { ` +
    `${files.join(' ')} } } ${BLOB}`
  );
}

/** One commit of all planned files, on top of `expectedHeadOid` or not at all; GitHub signs it. */
export const COMMIT_ON_BRANCH =
  'mutation CommitOnBranch($input: CreateCommitOnBranchInput!) { ' +
  'createCommitOnBranch(input: $input) { commit { oid } } }';

/** The blob fields every file read selects; `null` objects are absent paths. */
export interface BlobFields {
  oid?: string;
  text?: string | null;
  isTruncated?: boolean;
  byteSize?: number;
}

export interface HeadQueryAnswer {
  repository: {
    head: {
      name: string;
      target: ({ oid: string } & Record<string, { object: BlobFields | null } | null | string>) | null;
    } | null;
  } | null;
}

export interface FilesAtQueryAnswer {
  repository: Record<string, BlobFields | null> | null;
}

export interface CommitOnBranchAnswer {
  createCommitOnBranch: { commit: { oid: string } | null } | null;
}
