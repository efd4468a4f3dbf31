/** Contents API, built on the same object store and refs as the Git Data API so both views agree. */
import { fail, invalidRequest, notFound } from './errors.js';
import { base64Lines, commitChanges, commitJson, parseSignature } from './git-data.js';
import type { TreeEntry } from './git-objects.js';
import { bodyOf, str, type Ctx, type Handler } from './repo-state.js';

function entryJson(ctx: Ctx, path: string, e: TreeEntry, ref: string) {
  const { fullName } = ctx.repo;
  const isDir = e.mode === '040000';
  const type = isDir ? 'dir' : e.mode === '160000' ? 'submodule' : e.mode === '120000' ? 'symlink' : 'file';
  const self = `${ctx.baseUrl}/repos/${fullName}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const git = `${ctx.baseUrl}/repos/${fullName}/git/${isDir ? 'trees' : 'blobs'}/${e.sha}`;
  const html = `https://github.com/${fullName}/${isDir ? 'tree' : 'blob'}/${ref}/${path}`;
  return {
    type,
    size: isDir ? 0 : ctx.repo.objects.size(e.sha),
    name: path.split('/').pop() ?? path,
    path,
    sha: e.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: isDir ? null : `https://raw.githubusercontent.com/${fullName}/${ref}/${path}`,
    _links: { self, git, html },
  };
}

const getContent: Handler = (ctx) => {
  const ref = ctx.query.ref ?? ctx.repo.defaultBranch;
  const commit = ctx.repo.resolve(ref) ?? notFound(`No commit found for the ref ${ref}`);
  const tree = ctx.repo.objects.commit(commit)?.tree ?? notFound();
  const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
  const entry = ctx.repo.objects.lookup(tree, path) ?? notFound();
  if (entry.mode === '040000') {
    const listing = (ctx.repo.objects.tree(entry.sha) ?? []).map((e) =>
      entryJson(ctx, path ? `${path}/${e.name}` : e.name, e, ref),
    );
    return { status: 200, body: listing };
  }
  const buf = ctx.repo.objects.blob(entry.sha) ?? Buffer.alloc(0);
  if (buf.length > MAX_API_FILE) fail(403, 'This endpoint does not serve files over 100 MB.');
  if (/application\/vnd\.github(?:\.v3)?\.raw/i.test(ctx.accept)) {
    return {
      status: 200,
      raw: { text: buf.toString('utf8'), contentType: 'application/vnd.github.raw; charset=utf-8' },
    };
  }
  if (buf.length > MAX_JSON_FILE) {
    if (ctx.state.largeFileAnswer === 'too_large') {
      fail(
        403,
        'This API returns blobs up to 1 MB in size. The requested blob is too large to fetch via the API, ' +
          'but you can use the Git Data API to request blobs up to 100 MB in size.',
        { errors: [{ resource: 'Blob', field: 'data', code: 'too_large' }] },
      );
    }
    return { status: 200, body: { ...entryJson(ctx, path, entry, ref), content: '', encoding: 'none' } };
  }
  return {
    status: 200,
    body: { ...entryJson(ctx, path, entry, ref), content: base64Lines(buf), encoding: 'base64' },
  };
};

/** The JSON answer carries files up to 1 MB; the raw media type up to 100 MB. */
const MAX_JSON_FILE = 1024 * 1024;
const MAX_API_FILE = 100 * 1024 * 1024;

const putContent: Handler = (ctx) => {
  const b = bodyOf(ctx);
  const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
  const branch = str(b.branch) ?? ctx.repo.defaultBranch;
  const head = ctx.repo.refs.get(`refs/heads/${branch}`);
  // An empty repository has no branch yet: the first write creates the default branch.
  if (!head && (ctx.repo.refs.size > 0 || branch !== ctx.repo.defaultBranch)) {
    return notFound(`Branch ${branch} not found`);
  }
  const tree = head ? ctx.repo.objects.commit(head)?.tree : undefined;
  const existing = tree ? ctx.repo.objects.lookup(tree, path) : undefined;
  if (existing?.mode === '040000') return invalidRequest(`${path} is a directory.`);
  const given = str(b.sha);
  if (existing && given === undefined) return invalidRequest('"sha" wasn\'t supplied.');
  // GitHub's compare-and-swap: the sha must be the blob currently at the path on that branch.
  if (given !== undefined && given !== existing?.sha) return fail(409, `${path} does not match ${given}`);

  const content = Buffer.from(str(b.content) ?? '', 'base64');
  const blob = ctx.repo.objects.writeBlob(content);
  const author = parseSignature(b.author ?? b.committer, ctx.state.signature(ctx.login));
  const committer = parseSignature(b.committer ?? b.author, author);
  const sha = commitChanges(
    ctx.repo,
    branch,
    new Map([[path, { mode: existing?.mode ?? '100644', sha: blob }]]),
    str(b.message) ?? '',
    author,
    committer,
  );
  const entry = entryJson(ctx, path, { mode: '100644', name: path, sha: blob }, branch);
  return { status: existing ? 200 : 201, body: { content: entry, commit: commitJson(ctx, ctx.repo, sha) } };
};

export const contentHandlers: Record<string, Handler> = {
  'repos/get-content': getContent,
  'repos/create-or-update-file-contents': putContent,
};
