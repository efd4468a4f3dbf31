/**
 * Markdown pieces shared by the event and status comments. Identifiers and URLs come from Railway,
 * GitHub or the caller; they are still treated as untrusted text.
 */

export interface ServiceLink {
  id: string;
  name?: string;
  projectId?: string;
  environmentId?: string;
}

export interface DeploymentLink {
  id: string;
  /** Railway's `DeploymentStatus`. */
  status?: string;
  url?: string;
  /** Railway's `deploymentStopped`: with SUCCESS, the app exited ("Completed"). */
  stopped?: boolean;
}

const RAILWAY_DASHBOARD = 'https://railway.com';

/** The service in Railway's dashboard, when the project id is known. */
export function railwayServiceUrl(service: ServiceLink): string | undefined {
  if (!service.projectId) return undefined;
  const base = `${RAILWAY_DASHBOARD}/project/${encodeURIComponent(service.projectId)}/service/${encodeURIComponent(service.id)}`;
  return service.environmentId ? `${base}?environmentId=${encodeURIComponent(service.environmentId)}` : base;
}

/** The deployment's page (the dashboard opens the service with the deployment selected by `id`). */
export function railwayDeploymentUrl(
  service: ServiceLink | undefined,
  deployment: DeploymentLink,
): string | undefined {
  if (!service?.projectId) return undefined;
  const query = [
    ...(service.environmentId ? [`environmentId=${encodeURIComponent(service.environmentId)}`] : []),
    `id=${encodeURIComponent(deployment.id)}`,
  ].join('&');
  return `${RAILWAY_DASHBOARD}/project/${encodeURIComponent(service.projectId)}/service/${encodeURIComponent(service.id)}?${query}`;
}

/**
 * An http(s) URL fit for a Markdown link target, or `undefined`: other schemes are refused, and
 * parentheses and spaces are percent-encoded so the URL cannot end the link early.
 */
export function safeUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return url.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** Inline code that cannot be broken out of: backticks and line breaks are replaced. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\s+/g, ' ').trim()}\``;
}

export function link(label: string, url: string | undefined): string {
  return url === undefined ? label : `[${label}](${url})`;
}

/** A table cell: one line, and a `|` cannot start a new column. */
export function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/**
 * A fence longer than any run of backticks in the content, so a log line such as "```" cannot
 * close the block early and let the rest render as Markdown (CommonMark §4.5).
 */
export function fenceFor(content: string): string {
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}
