/** GitHub's page/per_page pagination with the `Link` header Octokit's paginate() follows. */
import type { Ctx } from './repo-state.js';

export function paginate<T>(
  ctx: Ctx,
  items: T[],
  resourcePath: string,
): { page: T[]; headers: Record<string, string> } {
  // GitHub clamps per_page to 100 rather than rejecting larger values.
  const perPage = Math.min(100, Math.max(1, Number(ctx.query.per_page ?? 30) || 30));
  const page = Math.max(1, Number(ctx.query.page ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  // GitHub writes links against /repositories/:id, which this emulator also serves.
  const link = (p: number) => {
    const q = new URLSearchParams({ ...ctx.query, per_page: String(perPage), page: String(p) });
    return `<${ctx.baseUrl}/repositories/${ctx.repo.id}${resourcePath}?${q.toString()}>`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`${link(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) rels.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1) rels.push(`${link(1)}; rel="first"`);
  return { page: slice, headers: rels.length > 0 ? { link: rels.join(', ') } : {} };
}
