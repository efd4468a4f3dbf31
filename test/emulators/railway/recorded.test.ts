// Replays what Railway answered (recorded by `npm run test:live`, or transcribed from Railway's CLI
// or docs until recorded; docs/live-conformance.md) against the emulator: the same request in the
// same situation must get the same status, the same error wordings and, for logs, as many lines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixtures } from '../../support/recorded.js';
import { startRailwayEmulator, type RailwayEmulator } from './index.js';

const TOKEN = 'rw_replay_account_token_0001';

let emu: RailwayEmulator;
let projectId: string;
beforeEach(async () => {
  emu = await startRailwayEmulator({ progression: 'manual' });
  ({ projectId } = emu.addProject({ name: 'replay' }));
  emu.addToken({ token: TOKEN, kind: 'account' });
});
afterEach(() => emu.close());

interface Replayed {
  status: number;
  errors: { message: string }[] | undefined;
  data: Record<string, unknown> | null | undefined;
}

async function send(
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
): Promise<Replayed> {
  const response = await fetch(emu.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<Replayed, 'status'>;
  return { status: response.status, errors: body.errors, data: body.data };
}

/** A settled deployment from a repository source: it has build and deploy lines to read. */
async function settledDeployment(): Promise<string> {
  await send('mutation Create($input: ServiceCreateInput!) { serviceCreate(input: $input) { id } }', {
    input: { projectId, name: 'replay', source: { repo: 'octo-org/app' } },
  });
  emu.advance(10 * 60_000);
  const [deployment] = emu.state.deployments(emu.state.services(projectId)[0]?.id ?? '');
  return deployment?.id ?? '';
}

const logs = (field: string) => async () =>
  send(`query Logs($id: String!) { ${field}(deploymentId: $id, limit: 2) { message } }`, {
    id: await settledDeployment(),
  });

const reproductions: Record<string, () => Promise<Replayed>> = {
  'unknown-project-token': () =>
    send(
      'query ProjectToken { projectToken { projectId environmentId } }',
      {},
      {
        'project-access-token': '00000000-0000-4000-8000-000000000000',
      },
    ),
  'unknown-bearer-token': () =>
    send('query Me { me { id } }', {}, { authorization: 'Bearer 00000000-0000-4000-8000-000000000000' }),
  'buildLogs-limit-2': logs('buildLogs'),
  'deploymentLogs-limit-2': logs('deploymentLogs'),
};

describe('the Railway emulator answers as Railway answered', () => {
  const fixtures = [...loadFixtures('railway').values()].filter((f) => f.case in reproductions);

  it('has a reproduction for every stored fixture it can replay', () => {
    expect(fixtures.map((f) => f.case).sort()).toEqual(
      expect.arrayContaining(['buildLogs-limit-2', 'deploymentLogs-limit-2', 'unknown-project-token']),
    );
  });

  for (const fixture of fixtures) {
    it(`${fixture.case} (${fixture.source.kind}): ${fixture.what}`, async () => {
      const answer = await reproductions[fixture.case]?.();
      expect(answer?.status).toBe(fixture.answer.status);
      const expectedMessages = fixture.answer.errors?.map((e) => (e as { message: string }).message);
      if (expectedMessages !== undefined) {
        expect(answer?.errors?.map((e) => e.message)).toEqual(expectedMessages);
      }
      const lines = fixture.notes?.['lines'];
      if (typeof lines === 'number') {
        const field = fixture.case.split('-')[0] ?? '';
        expect(answer?.data?.[field]).toHaveLength(lines);
      }
    });
  }
});
