/** Git Data API: blobs, trees, commits and refs over the real object store. */
import { fail, notFound } from './errors.js';
import type { Signature, TreeEntry, TreeMode } from './git-objects.js';
import { bodyOf, nodeId, str, type Ctx, type Handler, type Repo } from './repo-state.js';

/** GitHub wraps base64 at 60 characters and ends with a newline. */
export function base64Lines(buf: Buffer): string {
  const b64 = buf.toString('base64');
  return b64.length === 0 ? '' : `${b64.match(/.{1,60}/g)?.join('\n') ?? ''}\n`;
}

function sigJson(s: Signature) {
  return {
    name: s.name,
    email: s.email,
    date: new Date(s.time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/** `{name, email, date?}` from a request body → git signature (keeps the offset git records). */
export function parseSignature(v: unknown, fallback: Signature): Signature {
  if (v === null || typeof v !== 'object') return fallback;
  const o = v as Record<string, unknown>;
  const date = str(o.date);
  let time = fallback.time;
  let tz = '+0000';
  if (date !== undefined) {
    const ms = Date.parse(date);
    if (Number.isNaN(ms)) fail(422, `Invalid request.\n\n${JSON.stringify(date)} is not a valid date-time.`);
    time = Math.floor(ms / 1000);
    const m = /([+-])(\d{2}):?(\d{2})$/.exec(date);
    if (m) tz = `${m[1]}${m[2]}${m[3]}`;
  }
  return { name: str(o.name) ?? fallback.name, email: str(o.email) ?? fallback.email, time, tz };
}

export function commitJson(ctx: Pick<Ctx, 'baseUrl'>, repo: Repo, sha: string) {
  const c = repo.objects.commit(sha);
  if (!c) return notFound();
  const api = `${ctx.baseUrl}/repos/${repo.fullName}/git`;
  return {
    sha,
    node_id: nodeId('C', sha),
    url: `${api}/commits/${sha}`,
    html_url: `https://github.com/${repo.fullName}/commit/${sha}`,
    author: sigJson(c.author),
    committer: sigJson(c.committer),
    tree: { sha: c.tree, url: `${api}/trees/${c.tree}` },
    message: c.message,
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api}/commits/${p}`,
      html_url: `https://github.com/${repo.fullName}/commit/${p}`,
    })),
    verification: repo.verifiedCommits.has(sha)
      ? {
          verified: true,
          reason: 'valid',
          signature: GITHUB_SIGNATURE,
          payload: null,
          verified_at: c.committer.time ? new Date(c.committer.time * 1000).toISOString() : null,
        }
      : { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

/** A stand-in for the PGP signature GitHub adds to commits it signs (web-flow key). */
const GITHUB_SIGNATURE = '-----BEGIN PGP SIGNATURE-----\n\nemulator\n-----END PGP SIGNATURE-----\n';

/** Commits path changes on top of a branch (creating it if absent) and moves the branch. */
export function commitChanges(
  repo: Repo,
  branch: string,
  changes: Map<string, Omit<TreeEntry, 'name'> | null>,
  message: string,
  author: Signature,
  committer: Signature = author,
): string {
  const parent = repo.refs.get(`refs/heads/${branch}`);
  const base = parent ? repo.objects.commit(parent)?.tree : undefined;
  const tree = repo.objects.applyChanges(base, changes);
  const sha = repo.objects.writeCommit({ tree, parents: parent ? [parent] : [], author, committer, message });
  repo.moveRef(`refs/heads/${branch}`, sha);
  return sha;
}

function refJson(ctx: Ctx, ref: string, sha: string) {
  const api = `${ctx.baseUrl}/repos/${ctx.repo.fullName}/git`;
  return {
    ref,
    node_id: nodeId('REF', `${ctx.repo.id}:${ref}`),
    url: `${api}/${ref}`,
    object: { sha, type: ctx.repo.objects.typeOf(sha) ?? 'commit', url: `${api}/commits/${sha}` },
  };
}

function treeJson(ctx: Ctx, sha: string, recursive: boolean) {
  const objects = ctx.repo.objects;
  const api = `${ctx.baseUrl}/repos/${ctx.repo.fullName}/git`;
  const entries = recursive
    ? objects.walk(sha)
    : (objects.tree(sha) ?? []).map((e) => ({ ...e, path: e.name }));
  return {
    sha,
    url: `${api}/trees/${sha}`,
    tree: entries.map((e) => {
      const type = e.mode === '040000' ? 'tree' : e.mode === '160000' ? 'commit' : 'blob';
      const url = `${api}/${type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`;
      return type === 'blob'
        ? { path: e.path, mode: e.mode, type, sha: e.sha, size: objects.size(e.sha), url }
        : { path: e.path, mode: e.mode, type, sha: e.sha, url };
    }),
    truncated: false,
  };
}

const createBlob: Handler = (ctx) => {
  const b = bodyOf(ctx);
  const content = str(b.content) ?? '';
  const buf = b.encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
  const sha = ctx.repo.objects.writeBlob(buf);
  return { status: 201, body: { sha, url: `${ctx.baseUrl}/repos/${ctx.repo.fullName}/git/blobs/${sha}` } };
};

const getBlob: Handler = (ctx) => {
  const sha = ctx.params.file_sha ?? '';
  const buf = ctx.repo.objects.blob(sha) ?? notFound();
  return {
    status: 200,
    body: {
      sha,
      node_id: nodeId('B', sha),
      size: buf.length,
      url: `${ctx.baseUrl}/repos/${ctx.repo.fullName}/git/blobs/${sha}`,
      content: base64Lines(buf),
      encoding: 'base64',
    },
  };
};

const createTree: Handler = (ctx) => {
  const b = bodyOf(ctx);
  const objects = ctx.repo.objects;
  const baseTree = str(b.base_tree);
  if (baseTree !== undefined && !objects.tree(baseTree)) fail(422, 'Invalid tree info');
  const changes = new Map<string, Omit<TreeEntry, 'name'> | null>();
  for (const raw of Array.isArray(b.tree) ? b.tree : []) {
    const e = (raw ?? {}) as Record<string, unknown>;
    const path = str(e.path)?.replace(/^\/+|\/+$/g, '') ?? '';
    const mode = (str(e.mode) ?? '100644') as TreeMode;
    if (!path) fail(422, 'Invalid tree info');
    if (typeof e.content === 'string') {
      if ('sha' in e && e.sha !== undefined) fail(422, 'Invalid tree info');
      changes.set(path, { mode, sha: objects.writeBlob(e.content) });
    } else if (e.sha === null) {
      changes.set(path, null);
    } else {
      const sha = str(e.sha) ?? '';
      const type = str(e.type) ?? (mode === '040000' ? 'tree' : 'blob');
      if (type !== 'commit' && objects.typeOf(sha) !== type)
        fail(422, `tree.sha ${sha} is not a valid ${type}`);
      changes.set(path, { mode: type === 'tree' ? '040000' : mode, sha });
    }
  }
  const sha = objects.applyChanges(baseTree, changes);
  return { status: 201, body: treeJson(ctx, sha, false) };
};

const getTree: Handler = (ctx) => {
  const sha = ctx.params.tree_sha ?? '';
  // GitHub also accepts a commit sha or branch name here and reads its tree.
  const direct = ctx.repo.objects.tree(sha) ? sha : undefined;
  const viaRef = ctx.repo.resolve(sha);
  const treeSha = direct ?? (viaRef ? ctx.repo.objects.commit(viaRef)?.tree : undefined) ?? notFound();
  const recursive =
    ctx.query.recursive !== undefined && ctx.query.recursive !== '0' && ctx.query.recursive !== 'false';
  return { status: 200, body: treeJson(ctx, treeSha, recursive) };
};

const createCommit: Handler = (ctx) => {
  const b = bodyOf(ctx);
  const objects = ctx.repo.objects;
  const tree = str(b.tree) ?? '';
  if (!objects.tree(tree)) fail(422, 'Tree SHA does not exist');
  const parents = (Array.isArray(b.parents) ? b.parents : []).map((p) => String(p));
  for (const p of parents) {
    if (!objects.commit(p)) fail(422, 'Parent SHA does not exist or is not a commit object');
  }
  const author = parseSignature(b.author, ctx.state.signature(ctx.login));
  const committer = parseSignature(b.committer, author);
  const sha = objects.writeCommit({ tree, parents, author, committer, message: str(b.message) ?? '' });
  // GitHub signs a commit a bot makes through the API only when it carries no custom author,
  // committer or signature (README: behaviour → source).
  const custom = b.author !== undefined || b.committer !== undefined || b.signature !== undefined;
  if (!custom && ctx.state.user(ctx.login).type === 'Bot') ctx.repo.verifiedCommits.add(sha);
  const body = commitJson(ctx, ctx.repo, sha);
  return { status: 201, body, headers: { location: body.url } };
};

const getCommit: Handler = (ctx) => ({
  status: 200,
  body: commitJson(ctx, ctx.repo, ctx.params.commit_sha ?? ''),
});

const getRef: Handler = (ctx) => {
  const ref = `refs/${ctx.params.ref ?? ''}`;
  const sha = ctx.repo.readRef(ref) ?? notFound();
  return { status: 200, body: refJson(ctx, ref, sha) };
};

const createRef: Handler = (ctx) => {
  const b = bodyOf(ctx);
  const ref = str(b.ref) ?? '';
  const sha = str(b.sha) ?? '';
  if (!/^refs\/[^/]+\/.+/.test(ref))
    fail(422, "Reference name must start with 'refs/' and have at least two slashes.");
  if (!ctx.repo.objects.typeOf(sha)) fail(422, 'Object does not exist');
  if (ctx.repo.refs.has(ref)) fail(422, 'Reference already exists');
  ctx.repo.refs.set(ref, sha);
  const body = refJson(ctx, ref, sha);
  return { status: 201, body, headers: { location: body.url } };
};

const updateRef: Handler = (ctx) => {
  const b = bodyOf(ctx);
  const ref = `refs/${ctx.params.ref ?? ''}`;
  const sha = str(b.sha) ?? '';
  const current = ctx.repo.refs.get(ref);
  if (!current) return fail(422, 'Reference does not exist');
  if (!ctx.repo.objects.commit(sha)) fail(422, 'Object does not exist');
  const branch = ref.replace(/^refs\/heads\//, '');
  // GitHub's answer when a ref update breaks classic branch protection.
  const protection = ctx.repo.protectedBranches.get(branch);
  if (protection !== undefined) fail(422, protection.replace('<ref>', ref));
  checkRules(ctx, branch, sha);
  if (b.force !== true && !ctx.repo.objects.isAncestor(current, sha))
    fail(422, 'Update is not a fast forward');
  ctx.repo.moveRef(ref, sha);
  return { status: 200, body: refJson(ctx, ref, sha) };
};

/** Ruleset rules of the branch, in GitHub's `Repository rule violations found` wording. */
function checkRules(ctx: Ctx, branch: string, sha: string): void {
  const violated: Array<{ status: number; line: string }> = [];
  for (const rule of ctx.repo.branchRules.get(branch) ?? []) {
    if (rule.kind === 'pull_request') {
      violated.push({ status: rule.status, line: 'Changes must be made through a pull request.' });
    } else if (rule.kind === 'signed_commits' && !ctx.repo.verifiedCommits.has(sha)) {
      violated.push({ status: rule.status, line: 'Commits must have verified signatures.' });
    }
  }
  const first = violated[0];
  if (first === undefined) return;
  fail(first.status, `Repository rule violations found\n\n${violated.map((v) => v.line).join('\n\n')}\n\n`);
}

export const gitHandlers: Record<string, Handler> = {
  'git/create-blob': createBlob,
  'git/get-blob': getBlob,
  'git/create-tree': createTree,
  'git/get-tree': getTree,
  'git/create-commit': createCommit,
  'git/get-commit': getCommit,
  'git/get-ref': getRef,
  'git/create-ref': createRef,
  'git/update-ref': updateRef,
};
