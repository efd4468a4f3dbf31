import { createDeploymentMirror, type DeploymentMirror } from '../github/deployments.js';
import type { LifecycleContext } from '../lifecycle/context.js';
import type { ActionRuntime } from './run-action.js';

/**
 * The GitHub deployment mirror of a run (`github-deployments`, docs/actions.md). A deployment needs
 * a ref: the runner's GITHUB_SHA (for issue events, the default branch's last commit), else
 * GITHUB_REF_NAME; a run with neither (outside Actions) mirrors nothing rather than guess.
 */
export function deploymentMirrorFor(
  runtime: ActionRuntime,
  context: LifecycleContext,
  enabled: boolean,
): DeploymentMirror | undefined {
  if (!enabled) return undefined;
  const ref = nonEmpty(runtime.env.GITHUB_SHA) ?? nonEmpty(runtime.env.GITHUB_REF_NAME);
  if (ref === undefined) {
    runtime.logger.info('Neither GITHUB_SHA nor GITHUB_REF_NAME is set: no GitHub deployment is recorded.');
    return undefined;
  }
  return createDeploymentMirror({
    octokit: context.octokit,
    owner: context.owner,
    repo: context.repo,
    logger: context.logger,
    ref,
    logUrl: context.run.url,
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
