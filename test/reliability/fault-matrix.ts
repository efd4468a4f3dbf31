/**
 * The fault matrix (project issue 10, part 2): every GitHub and Railway operation the story uses,
 * found by running the story once without faults, × every fault the emulators offer, injected at
 * the operation's first occurrence. Each cell runs the whole story on a fresh stage (repository and
 * Railway project) of two shared emulators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubFault } from '../emulators/github/index.js';
import type { FaultSpec as RailwayFault } from '../emulators/railway/index.js';
import { answerLostAfterActing } from '../support/railway-timeouts.js';
import { runStory, type StoryResult, type Verdict } from './story.js';
import { startWorld, type Stage, type World } from './world.js';

export interface Cell {
  operation: string;
  fault: string;
  result: StoryResult;
}

/**
 * Arms a fault for one cell: the cell's stage, and whether the fault has fired since; undefined
 * when the fault cannot happen to the operation (a GraphQL error to a REST request).
 */
type Arm = (world: World, operation: string) => { stage: Stage; fired: () => boolean } | undefined;

const isGraphQL = (operation: string) => operation.startsWith('graphql');

/** GitHub's faults: each arms the emulator for the operation's first request. */
export const GITHUB_FAULTS: Record<string, Omit<GitHubFault, 'operationId'>> = {
  '5xx': { kind: 'server_error', status: 502 },
  '5xx after acting': { kind: 'server_error', status: 502, afterExecution: true },
  'HTML page': { kind: 'html', status: 502 },
  'GraphQL error': { kind: 'graphql_error' },
  'GraphQL error 502': { kind: 'graphql_error', status: 502 },
  'secondary limit': { kind: 'secondary_rate_limit', retryAfterSeconds: 1 },
  'primary limit 429': { kind: 'primary_rate_limit', status: 429, retryAfterSeconds: 1 },
  'dropped before acting': { kind: 'drop' },
  'dropped after acting': { kind: 'drop', afterExecution: true },
  slow: { kind: 'slow', delayMs: 5 },
};

/** Railway's faults; `timeout after acting` is the client's own timeout, see answerAfterTimeout. */
export const RAILWAY_FAULTS: Record<string, Omit<RailwayFault, 'operation'> | 'timeout'> = {
  '429 Retry-After': { kind: 'rate_limit', retryAfterSeconds: 2 },
  '5xx': { kind: 'server_error', status: 503 },
  'HTML page': { kind: 'html', status: 502 },
  'GraphQL error': { kind: 'graphql_error' },
  'dropped before acting': { kind: 'drop' },
  'dropped after acting': { kind: 'drop', afterExecution: true },
  slow: { kind: 'slow', delayMs: 5 },
  'timeout after acting': 'timeout',
};

/** The operations one clean story sends to each service, in order of first use. */
export async function operationsOfStory(world: World): Promise<{ github: string[]; railway: string[] }> {
  const stage = world.stage();
  world.github.clearRequests();
  world.railway.clearRequests();
  const result = await runStory(world, stage);
  if (result.verdict !== 'completed')
    throw new Error(`the clean story did not complete: ${result.notes.join('; ')}`);
  const unique = (names: Array<string | null | undefined>) => [
    ...new Set(names.filter((n): n is string => typeof n === 'string')),
  ];
  return {
    // GraphQL requests are named by kind (graphql/query, graphql/mutation), as the emulator's faults match them.
    github: unique(
      world.github.requests.map((r) =>
        r.operationId?.startsWith('graphql') ? graphqlKind(r.operationId) : r.operationId,
      ),
    ),
    railway: unique(world.railway.requests.map((r) => r.operation)),
  };
}

function graphqlKind(operationId: string): string {
  return operationId === 'graphql/mutation' ? 'graphql/mutation' : 'graphql/query';
}

export const armGitHub =
  (fault: Omit<GitHubFault, 'operationId'>): Arm =>
  (world, operation) => {
    if (fault.kind === 'graphql_error' && !isGraphQL(operation)) return undefined;
    const stage = world.stage();
    world.github.clearFaults();
    world.github.injectFault({ ...fault, operationId: operation });
    const from = world.github.requests.length;
    return { stage, fired: () => world.github.requests.slice(from).some((r) => r.fault !== undefined) };
  };

export const armRailway =
  (fault: Omit<RailwayFault, 'operation'> | 'timeout'): Arm =>
  (world, operation) => {
    world.railway.clearFaults();
    if (fault === 'timeout') {
      const lost = answerLostAfterActing(operation);
      return {
        stage: world.stage({ railwayFetch: lost.fetch, abortAfter: lost.abortAfter }),
        fired: lost.fired,
      };
    }
    world.railway.injectFault({ ...fault, operation });
    const from = world.railway.requests.length;
    return {
      stage: world.stage(),
      fired: () => world.railway.requests.slice(from).some((r) => r.fault !== undefined),
    };
  };

export async function runMatrix(
  world: World,
  operations: readonly string[],
  faults: Record<string, Arm>,
): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const operation of operations) {
    for (const [fault, arm] of Object.entries(faults)) {
      const armed = arm(world, operation);
      if (armed === undefined) continue;
      const { stage, fired } = armed;
      const result = await runStory(world, stage);
      // A fault that never fired proves nothing: the cell counts as lost.
      if (!fired())
        cells.push({
          operation,
          fault,
          result: { ...result, verdict: 'FAILED', notes: ['the fault never fired'] },
        });
      else cells.push({ operation, fault, result });
    }
  }
  world.github.clearFaults();
  world.railway.clearFaults();
  return cells;
}

const MARK: Record<Verdict, string> = { completed: 'ok', stopped: 'stopped', FAILED: 'FAILED' };

/** The matrix as text: one row per operation, one column per fault, then the figures. */
export function printMatrix(title: string, cells: readonly Cell[]): string {
  const faults = [...new Set(cells.map((c) => c.fault))];
  const operations = [...new Set(cells.map((c) => c.operation))];
  const width = Math.max(...operations.map((o) => o.length), 9);
  const header = ['operation'.padEnd(width), ...faults].join(' | ');
  const lines = [title, header, '-'.repeat(header.length)];
  for (const operation of operations) {
    const row = faults.map((fault) => {
      const cell = cells.find((c) => c.operation === operation && c.fault === fault);
      const mark = cell === undefined ? '-' : MARK[cell.result.verdict];
      return mark.padEnd(fault.length);
    });
    lines.push([operation.padEnd(width), ...row].join(' | '));
  }
  const count = (v: Verdict) => cells.filter((c) => c.result.verdict === v).length;
  const reruns = cells.filter((c) => c.result.reruns > 0).length;
  lines.push(
    `cells tried ${cells.length}, survived ${count('completed') + count('stopped')} ` +
      `(completed ${count('completed')}, ${reruns} of them after re-running a failed step; stopped clearly ${count('stopped')}), ` +
      `lost ${count('FAILED')}`,
  );
  for (const cell of cells.filter((c) => c.result.verdict === 'completed' && c.result.reruns > 0))
    lines.push(
      `  ${cell.operation} × ${cell.fault}: completed after a re-run of ${cell.result.failures.join('; ')}`,
    );
  for (const cell of cells.filter((c) => c.result.verdict !== 'completed'))
    lines.push(
      `  ${cell.operation} × ${cell.fault}: ${cell.result.verdict}: ${cell.result.notes.join('; ')}`,
    );
  return lines.join('\n');
}

export { startWorld };

/**
 * One half of the matrix, GitHub's or Railway's, as a test file of its own: the two halves run in
 * parallel, each on its own pair of emulators.
 */
export function describeFaultMatrix(service: 'github' | 'railway'): void {
  const name = service === 'github' ? 'GitHub' : 'Railway';
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  describe(`fault matrix: ${name} operations × faults`, () => {
    it('every cell completes (re-running a failed step) or stops clearly, and loses nothing', async () => {
      const operations = (await operationsOfStory(world))[service];
      expect(operations.length).toBeGreaterThan(5);
      const arms =
        service === 'github'
          ? Object.fromEntries(Object.entries(GITHUB_FAULTS).map(([n, f]) => [n, armGitHub(f)]))
          : Object.fromEntries(Object.entries(RAILWAY_FAULTS).map(([n, f]) => [n, armRailway(f)]));
      const cells = await runMatrix(world, operations, arms);
      console.log(printMatrix(`Fault matrix: ${name}`, cells));
      expect(
        cells
          .filter((c) => c.result.verdict === 'FAILED')
          .map((c) => `${c.operation} × ${c.fault}: ${c.result.notes.join('; ')}`),
      ).toEqual([]);
    });
  });
}
