// Small statistics and request-log readers shared by the bench modules.
import type { GitHubRequestLogEntry } from '../../test/emulators/github/server.js';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * What a slice of the GitHub emulator's request log costs against a `GITHUB_TOKEN`'s budgets. The
 * bench reads the log, not the product's code paths, so it measures whatever the product does:
 * REST requests count against the 1,000 an hour; a GraphQL request costs at least one point of
 * GraphQL's own 1,000 (the entry's `points` when the emulator records them); every REST request
 * that is not a read, and every GraphQL mutation the emulator flags, counts as content creation
 * (80 a minute, 500 an hour), the conservative reading of GitHub's secondary limits.
 */
export interface GitHubCost {
  rest: number;
  graphql: number;
  points: number;
  writes: number;
}

type LogEntry = GitHubRequestLogEntry & { points?: number; mutation?: boolean };

export function githubCost(entries: readonly GitHubRequestLogEntry[]): GitHubCost {
  const cost: GitHubCost = { rest: 0, graphql: 0, points: 0, writes: 0 };
  for (const entry of entries as readonly LogEntry[]) {
    if (entry.path.split('?')[0]?.endsWith('/graphql')) {
      cost.graphql += 1;
      cost.points += typeof entry.points === 'number' ? entry.points : 1;
      if (entry.mutation === true) cost.writes += 1;
    } else {
      cost.rest += 1;
      if (!['GET', 'HEAD'].includes(entry.method.toUpperCase())) cost.writes += 1;
    }
  }
  return cost;
}

export function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

/** "name ×n" for each operation in a request log slice, most frequent first: what the count is made of. */
export function operations(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([name, n]) => `${name} ×${n}`)
    .join(', ');
}

export function githubOperations(entries: readonly GitHubRequestLogEntry[]): string {
  return operations(entries.map((e) => e.operationId ?? `${e.method} ${e.path.split('?')[0] ?? ''}`));
}
