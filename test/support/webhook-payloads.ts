import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface WebhookExamples {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}

const require = createRequire(import.meta.url);
let cache: WebhookExamples[] | undefined;

function examples(): WebhookExamples[] {
  cache ??= JSON.parse(
    readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8'),
  ) as WebhookExamples[];
  return cache;
}

/**
 * A real `issues` webhook payload (from @octokit/webhooks-examples) for the given action,
 * deep-copied so a test may adjust it.
 */
export type IssuesPayload = Record<string, unknown> & {
  action: string;
  issue: Record<string, unknown> & { number: number };
};

export function issuesPayload(action: string): IssuesPayload {
  const found = examples()
    .find((entry) => entry.name === 'issues')
    ?.examples.find((example) => example.action === action);
  if (found === undefined) throw new Error(`@octokit/webhooks-examples has no issues.${action} example`);
  return structuredClone(found) as IssuesPayload;
}
