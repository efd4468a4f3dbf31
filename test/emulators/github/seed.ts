/** Direct state seeding: repositories, issues (also from real webhook payloads), comments. */
import { commitChanges } from './git-data.js';
import { ensureLabel } from './issues.js';
import { Repo, type Issue, type State } from './repo-state.js';

export interface SeedIssue {
  number?: number;
  title: string;
  body?: string | null;
  user?: string;
  authorAssociation?: string;
  labels?: string[];
  state?: 'open' | 'closed';
  stateReason?: string | null;
  createdAt?: number;
  updatedAt?: number;
  /** A pull request: the issues API serves it with a `pull_request` key (README: behaviour → source). */
  pullRequest?: boolean;
}

export function createRepo(
  state: State,
  fullName: string,
  opts: { defaultBranch?: string; files?: Record<string, string>; private?: boolean } = {},
): Repo {
  const [owner, name, ...rest] = fullName.split('/');
  if (!owner || !name || rest.length > 0) throw new Error(`github emulator: bad repository name ${fullName}`);
  if (state.getRepo(fullName)) throw new Error(`github emulator: repository ${fullName} exists`);
  state.user(owner);
  const repo = new Repo(state.nextId(), owner, name, opts.private ?? false, opts.defaultBranch ?? 'main');
  state.repos.set(fullName.toLowerCase(), repo);
  const files = opts.files ?? { 'README.md': `# ${name}\n` };
  const changes = new Map(
    Object.entries(files).map(([path, text]) => [
      path,
      { mode: '100644' as const, sha: repo.objects.writeBlob(text) },
    ]),
  );
  commitChanges(repo, repo.defaultBranch, changes, 'Initial commit', state.signature(owner));
  return repo;
}

export function seedIssue(state: State, repo: Repo, seed: SeedIssue): Issue {
  const number = seed.number ?? repo.nextIssueNumber;
  repo.nextIssueNumber = Math.max(repo.nextIssueNumber, number + 1);
  const user = seed.user ?? repo.owner;
  state.user(user);
  const now = state.now();
  const existing = repo.issues.get(number);
  const closed = seed.state === 'closed';
  const issue: Issue = {
    id: existing?.id ?? state.nextId(),
    number,
    title: seed.title,
    body: seed.body ?? null,
    user,
    authorAssociation: seed.authorAssociation ?? repo.associationOf(user),
    state: closed ? 'closed' : 'open',
    stateReason: seed.stateReason ?? (closed ? 'completed' : null),
    labels: (seed.labels ?? []).map((l) => ensureLabel({ state }, repo, l).name),
    createdAt: seed.createdAt ?? existing?.createdAt ?? now,
    updatedAt: seed.updatedAt ?? now,
    closedAt: closed ? (seed.updatedAt ?? now) : null,
    deleted: false,
    ...(seed.pullRequest === true ? { pullRequest: true } : {}),
  };
  repo.issues.set(number, issue);
  return issue;
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new Error(`github emulator: webhook payload has no ${what}`);
  }
  return v as Record<string, unknown>;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const time = (v: unknown): number | undefined => {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/** Mirrors the repository and issue of an `issues` webhook payload; seeding again updates the issue. */
export function seedFromWebhookPayload(
  state: State,
  payload: unknown,
): { repo: string; issueNumber: number } {
  const p = obj(payload, 'body');
  const r = obj(p.repository, 'repository');
  const i = obj(p.issue, 'issue');
  const fullName = text(r.full_name) ?? '';
  const repo =
    state.getRepo(fullName) ??
    createRepo(state, fullName, {
      defaultBranch: text(r.default_branch) ?? 'main',
      private: r.private === true,
    });
  const labels = Array.isArray(i.labels) ? i.labels.map((l) => text(obj(l, 'label').name) ?? '') : [];
  for (const l of Array.isArray(i.labels) ? i.labels : []) {
    const o = obj(l, 'label');
    const label = ensureLabel({ state }, repo, text(o.name) ?? '');
    label.color = text(o.color) ?? label.color;
    label.description = text(o.description) ?? label.description;
  }
  const issue = seedIssue(state, repo, {
    number: Number(i.number),
    title: text(i.title) ?? '',
    body: text(i.body) ?? null,
    user: text(obj(i.user, 'issue.user').login) ?? 'octocat',
    authorAssociation: text(i.author_association) ?? 'NONE',
    labels: labels.filter(Boolean),
    state: i.state === 'closed' ? 'closed' : 'open',
    stateReason: text(i.state_reason) ?? null,
    createdAt: time(i.created_at),
    updatedAt: time(i.updated_at),
  });
  return { repo: repo.fullName, issueNumber: issue.number };
}

export function seedComments(
  state: State,
  repo: Repo,
  number: number,
  count: number,
  bodyFn: (i: number) => string = (i) => `Comment ${i + 1}`,
): void {
  if (!repo.issues.has(number)) throw new Error(`github emulator: no issue #${number} in ${repo.fullName}`);
  const now = state.now();
  for (let i = 0; i < count; i++) {
    const id = state.nextId();
    // Spread over milliseconds so the order is stable and `since` filters have something to cut.
    repo.comments.set(id, {
      id,
      issueNumber: number,
      body: bodyFn(i),
      user: repo.owner,
      authorAssociation: 'OWNER',
      createdAt: now - count + i,
      updatedAt: now - count + i,
      reactions: [],
    });
  }
}
