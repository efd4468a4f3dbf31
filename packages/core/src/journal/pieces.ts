import type { EventType } from '../events.js';
import {
  code,
  link,
  railwayDeploymentUrl,
  railwayServiceUrl,
  safeUrl,
  type DeploymentLink,
  type ServiceLink,
} from './links.js';
import { makeSafe, redactText, type SafeTextOptions } from './sanitize.js';

/** Pieces shared by the event comment (render.ts) and the status comment (status.ts). */

export interface RenderOptions extends SafeTextOptions {
  /** Defaults to GitHub's 65,536 characters. */
  limit?: number;
}

export const EVENT_EMOJI: Readonly<Record<EventType, string>> = {
  sandbox_created: '🚀',
  deployment_started: '⏳',
  deployment_succeeded: '✅',
  deployment_failed: '💥',
  step_completed: '📝',
  build_failed: '❌',
  sandbox_destroyed: '🧹',
  sandbox_refused: '⛔',
};

/** The two cleaners every piece of a comment goes through: text, and link targets. */
export interface Clean {
  text: (text: string) => string;
  url: (url: string | undefined) => string | undefined;
}

export function cleaners(options: SafeTextOptions): Clean {
  return {
    text: (text) => makeSafe(text, options),
    url: (url) => safeUrl(url === undefined ? undefined : redactText(url, options)),
  };
}

export function serviceLabel(service: ServiceLink, clean: Clean): string {
  const label = code(clean.text(service.name ?? service.id));
  const withId = service.name ? `${label} (${code(clean.text(service.id))})` : label;
  return link(withId, railwayServiceUrl(service));
}

export function deploymentLabel(
  service: ServiceLink | undefined,
  deployment: DeploymentLink,
  clean: Clean,
): string {
  const label = link(code(clean.text(deployment.id)), railwayDeploymentUrl(service, deployment));
  return deployment.status ? `${label} · ${code(clean.text(deployment.status))}` : label;
}
