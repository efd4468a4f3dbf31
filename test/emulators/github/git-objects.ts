/** A content-addressed object store that hashes exactly like git, so shas can be checked against real git. */
import { createHash } from 'node:crypto';

export type ObjectType = 'blob' | 'tree' | 'commit';
export type TreeMode = '100644' | '100755' | '040000' | '160000' | '120000';

export interface TreeEntry {
  mode: TreeMode;
  name: string;
  sha: string;
}

export interface Signature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  time: number;
  /** Git's `+hhmm` form. */
  tz: string;
}

export interface CommitData {
  tree: string;
  parents: string[];
  author: Signature;
  committer: Signature;
  message: string;
}

interface StoredObject {
  type: ObjectType;
  content: Buffer;
}

export function hashObject(type: ObjectType, content: Buffer): string {
  const header = Buffer.from(`${type} ${content.length}\0`);
  return createHash('sha1').update(header).update(content).digest('hex');
}

/** Git orders tree entries by name bytes, comparing a subtree's name as if it ended with '/'. */
function sortKey(e: TreeEntry): Buffer {
  return Buffer.from(e.mode === '040000' ? `${e.name}/` : e.name);
}

export function encodeTree(entries: TreeEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
  return Buffer.concat(
    sorted.flatMap((e) => [
      // Git writes directory modes without the leading zero.
      Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`),
      Buffer.from(e.sha, 'hex'),
    ]),
  );
}

function decodeTree(content: Buffer): TreeEntry[] {
  const out: TreeEntry[] = [];
  let i = 0;
  while (i < content.length) {
    const nul = content.indexOf(0, i);
    const [mode = '', ...name] = content.subarray(i, nul).toString('utf8').split(' ');
    out.push({
      mode: (mode === '40000' ? '040000' : mode) as TreeMode,
      name: name.join(' '),
      sha: content.subarray(nul + 1, nul + 21).toString('hex'),
    });
    i = nul + 21;
  }
  return out;
}

const sig = (s: Signature) => `${s.name} <${s.email}> ${s.time} ${s.tz}`;

function encodeCommit(c: CommitData): Buffer {
  const lines = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`)];
  lines.push(`author ${sig(c.author)}`, `committer ${sig(c.committer)}`, '', c.message);
  return Buffer.from(lines.join('\n'));
}

function decodeSignature(text: string): Signature {
  const m = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(text);
  if (!m) throw new Error(`bad signature: ${text}`);
  return { name: m[1] ?? '', email: m[2] ?? '', time: Number(m[3]), tz: m[4] ?? '+0000' };
}

function decodeCommit(content: Buffer): CommitData {
  const text = content.toString('utf8');
  const split = text.indexOf('\n\n');
  const headers = text.slice(0, split).split('\n');
  const unknownSig: Signature = { name: '', email: '', time: 0, tz: '+0000' };
  const c: CommitData = {
    tree: '',
    parents: [],
    author: unknownSig,
    committer: unknownSig,
    message: text.slice(split + 2),
  };
  for (const h of headers) {
    const sp = h.indexOf(' ');
    const [key, value] = [h.slice(0, sp), h.slice(sp + 1)];
    if (key === 'tree') c.tree = value;
    else if (key === 'parent') c.parents.push(value);
    else if (key === 'author') c.author = decodeSignature(value);
    else if (key === 'committer') c.committer = decodeSignature(value);
  }
  return c;
}

export class ObjectStore {
  private readonly objects = new Map<string, StoredObject>();

  private put(type: ObjectType, content: Buffer): string {
    const sha = hashObject(type, content);
    if (!this.objects.has(sha)) this.objects.set(sha, { type, content });
    return sha;
  }

  typeOf(sha: string): ObjectType | undefined {
    return this.objects.get(sha)?.type;
  }

  writeBlob(content: Buffer | string): string {
    return this.put('blob', typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  }

  writeTree(entries: TreeEntry[]): string {
    return this.put('tree', encodeTree(entries));
  }

  writeCommit(c: CommitData): string {
    return this.put('commit', encodeCommit(c));
  }

  blob(sha: string): Buffer | undefined {
    const o = this.objects.get(sha);
    return o?.type === 'blob' ? o.content : undefined;
  }

  tree(sha: string): TreeEntry[] | undefined {
    const o = this.objects.get(sha);
    return o?.type === 'tree' ? decodeTree(o.content) : undefined;
  }

  commit(sha: string): CommitData | undefined {
    const o = this.objects.get(sha);
    return o?.type === 'commit' ? decodeCommit(o.content) : undefined;
  }

  /** Entry at a slash-separated path from a root tree; '' is the root itself. */
  lookup(treeSha: string, path: string): TreeEntry | undefined {
    let current: TreeEntry = { mode: '040000', name: '', sha: treeSha };
    for (const part of path.split('/').filter(Boolean)) {
      if (current.mode !== '040000') return undefined;
      const next = this.tree(current.sha)?.find((e) => e.name === part);
      if (!next) return undefined;
      current = next;
    }
    return current;
  }

  /**
   * Applies path changes to a tree (or to nothing) and returns the new root sha; `null` deletes a path.
   * Empty subtrees disappear, as git cannot represent them.
   */
  applyChanges(baseTree: string | undefined, changes: Map<string, Omit<TreeEntry, 'name'> | null>): string {
    const root = this.buildNested(baseTree, changes, '');
    return root ?? this.writeTree([]);
  }

  private buildNested(
    treeSha: string | undefined,
    changes: Map<string, Omit<TreeEntry, 'name'> | null>,
    prefix: string,
  ): string | undefined {
    const entries = new Map<string, TreeEntry>();
    for (const e of (treeSha && this.tree(treeSha)) || []) entries.set(e.name, e);
    const subdirs = new Set<string>();
    for (const [path, change] of changes) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) {
        subdirs.add(rest.slice(0, slash));
      } else if (change === null) {
        entries.delete(rest);
      } else {
        entries.set(rest, { ...change, name: rest });
      }
    }
    for (const dir of subdirs) {
      const existing = entries.get(dir);
      const base = existing?.mode === '040000' ? existing.sha : undefined;
      const sha = this.buildNested(base, changes, `${prefix}${dir}/`);
      if (sha) entries.set(dir, { mode: '040000', name: dir, sha });
      else entries.delete(dir);
    }
    if (entries.size === 0) return undefined;
    return this.writeTree([...entries.values()]);
  }

  /** Every file under a tree, for listings and recursive tree reads. */
  walk(treeSha: string, prefix = ''): Array<TreeEntry & { path: string }> {
    const out: Array<TreeEntry & { path: string }> = [];
    for (const e of this.tree(treeSha) ?? []) {
      const path = `${prefix}${e.name}`;
      out.push({ ...e, path });
      if (e.mode === '040000') out.push(...this.walk(e.sha, `${path}/`));
    }
    return out;
  }

  size(sha: string): number {
    return this.objects.get(sha)?.content.length ?? 0;
  }

  isAncestor(ancestor: string, descendant: string): boolean {
    const seen = new Set<string>();
    const stack = [descendant];
    while (stack.length > 0) {
      const sha = stack.pop() as string;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      stack.push(...(this.commit(sha)?.parents ?? []));
    }
    return false;
  }
}
