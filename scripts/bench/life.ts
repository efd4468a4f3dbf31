// One issue's whole life, step by step, as the requests each service received: provision, deploy
// (with a build of the given length on the Railway emulator's clock), two journal steps, the
// author closing the issue, destroy. The close is the person's request, not the product's, and is
// left out of the counts.
import { githubCost, githubOperations, operations, type GitHubCost } from './stats.js';
import { GITHUB_TOKEN, startBenchWorld, type BenchWorld } from './world.js';

export interface LifeStep {
  step: string;
  github: GitHubCost;
  railway: number;
  githubOperations: string;
  railwayOperations: string;
}

export interface Life {
  buildMinutes: number;
  steps: LifeStep[];
  github: GitHubCost;
  railway: number;
  deploymentStatus: string | undefined;
}

/** Long enough for the longest build measured; the default (15) would end a 30-minute build's wait. */
const TIMEOUT_MINUTES = '60';

export async function measureLife(buildMinutes: number): Promise<Life> {
  const world = await startBenchWorld();
  try {
    world.railway.setScenario(/^issue-/, { outcome: 'success', buildMs: buildMinutes * 60_000 });
    const steps: LifeStep[] = [];
    let deploymentStatus: string | undefined;
    const step = async (name: string, act: () => Promise<void>): Promise<void> => {
      const g0 = world.github.requests.length;
      const r0 = world.railway.requests.length;
      await act();
      const github = world.github.requests.slice(g0);
      const railway = world.railway.requests.slice(r0);
      steps.push({
        step: name,
        github: githubCost(github),
        railway: railway.length,
        githubOperations: githubOperations(github),
        railwayOperations: operations(railway.map((r) => r.operationName ?? r.operation ?? '(none)')),
      });
    };
    const must = async (name: string, run: ReturnType<BenchWorld['run']>): Promise<void> => {
      const { exitCode, stdout } = await run;
      if (exitCode !== 0) throw new Error(`${name} exited ${exitCode}: ${lastError(stdout)}`);
    };
    // A repo source, so that Railway builds (an image skips the build phase).
    await step('provision-sandbox', () =>
      must(
        'provision-sandbox',
        world.run('provision-sandbox', { inputs: { image: '', repo: 'octo-org/app' } }),
      ),
    );
    await step('deploy-sandbox', async () => {
      deploymentStatus = (await world.deployVirtually({ 'timeout-minutes': TIMEOUT_MINUTES })).status;
    });
    for (const n of [1, 2])
      await step(`journal-step #${n}`, () =>
        must('journal-step', world.run('journal-step', { inputs: { message: `bench step ${n}` } })),
      );
    await closeIssue(world);
    const closed = structuredClone(world.opened);
    closed.action = 'closed';
    closed.issue.state = 'closed';
    await step('destroy-sandbox', () =>
      must('destroy-sandbox', world.run('destroy-sandbox', { payload: closed })),
    );
    return {
      buildMinutes,
      steps,
      github: sumCosts(steps.map((s) => s.github)),
      railway: steps.reduce((total, s) => total + s.railway, 0),
      deploymentStatus,
    };
  } finally {
    await world.close();
  }
}

async function closeIssue(world: BenchWorld): Promise<void> {
  const response = await fetch(`${world.github.url}/repos/${world.repo}/issues/${world.issue}`, {
    method: 'PATCH',
    headers: { authorization: `token ${GITHUB_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'closed' }),
  });
  if (!response.ok) throw new Error(`closing the issue: HTTP ${response.status}`);
}

export function sumCosts(costs: readonly GitHubCost[]): GitHubCost {
  return costs.reduce(
    (total, c) => ({
      rest: total.rest + c.rest,
      graphql: total.graphql + c.graphql,
      points: total.points + c.points,
      writes: total.writes + c.writes,
    }),
    { rest: 0, graphql: 0, points: 0, writes: 0 },
  );
}

function lastError(stdout: string): string {
  const errors = stdout.split('\n').filter((line) => line.startsWith('::error'));
  return errors.at(-1) ?? '(no error line)';
}
