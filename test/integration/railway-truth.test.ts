// The lifecycle against both emulators where Railway's answer, not the mapping's cache or an error
// message read loosely, must decide: a refused token is never "gone", a taken name never sends the
// sandbox to another account, a create is never sent twice, and full counters are recounted on
// Railway before anyone is refused.
import { describe, expect, it } from 'vitest';
import {
  createRailwayClient,
  destroySandbox,
  findEventMarker,
  inputsFromRecord,
  parseFarm,
  provisionSandbox,
  RailwayAuthError,
  RailwayOutcomeUnknownError,
  readProvisionSettings,
  sweepSandboxes,
  type RailwayAccounts,
  type RailwayClient,
  type RailwayTokenKind,
} from '@trinity/core';
import { REPO } from '../support/github.js';
import { lifecycleWorldPerTest } from '../support/lifecycle-world.js';
import { runContext } from '../support/settings-fixtures.js';

const FARM = '.trinity/railway_farm.json';

const world = lifecycleWorldPerTest();
const { gh, railway } = world;
const context = () => world.context({ farmPath: FARM });

/** The accounts' clients retry at once, on Railway's clock; account 1 may use another token. */
function accounts(
  count = 1,
  kinds: { token?: string; tokenKind?: RailwayTokenKind; fetch?: typeof fetch } = {},
): RailwayAccounts {
  return world.accounts(count, {
    ...(kinds.token === undefined ? {} : { token: kinds.token }),
    connect: (options, accountId) =>
      createRailwayClient({
        ...options,
        tokenKind: accountId === 1 ? (kinds.tokenKind ?? 'account') : 'account',
        clock: { sleep: () => Promise.resolve(), random: () => 0.5, now: () => railway.now() },
        ...(kinds.fetch === undefined ? {} : { fetch: kinds.fetch }),
      }),
  });
}

const base = { 'github-token': 'ghs_x', 'railway-token': 'rw_account_1_token', 'issue-number': '7' };
const settings = (extra: Record<string, string> = {}) =>
  readProvisionSettings(
    inputsFromRecord({ ...base, image: 'ghcr.io/octo-org/app:1', ...extra }),
    runContext(),
  );

const farm = () => parseFarm(gh.emulator.repo(REPO).readFile(FARM) ?? '', 'farm');
const events = () =>
  gh.emulator
    .repo(REPO)
    .comments(7)
    .map((c) => findEventMarker(c.body)?.type ?? '')
    .filter((type) => type !== '');
const creates = () => railway.requests.filter((r) => r.operationName === 'ServiceCreate').length;

async function writeFarm(text: string): Promise<void> {
  const where = { owner: 'octo-org', repo: 'sandbox-demo', path: FARM };
  const existing = await gh.octokit.rest.repos.getContent(where).then(
    ({ data }) => (Array.isArray(data) ? undefined : data.sha),
    () => undefined,
  );
  await gh.octokit.rest.repos.createOrUpdateFileContents({
    ...where,
    message: 'farm edited by hand',
    content: Buffer.from(text).toString('base64'),
    ...(existing === undefined ? {} : { sha: existing }),
  });
}

const closeIssue = () => world.closeIssue();

describe('destroy records "destroyed" only when Railway confirmed it', () => {
  it('a revoked project token fails the destroy as an auth error; the service and its row stay', async () => {
    railway.addToken({
      token: 'pt-for-issue-7',
      kind: 'project',
      projectId: world.projects[0]?.projectId ?? '',
      environmentId: world.projects[0]?.environmentId ?? '',
    });
    const byProjectToken = () => accounts(1, { token: 'pt-for-issue-7', tokenKind: 'project' });
    await provisionSandbox(settings(), context(), byProjectToken(), 'https://github.com');
    await closeIssue();
    railway.revokeToken('pt-for-issue-7');

    const error = await destroySandbox(
      { issueNumber: 7, archiveDirectory: undefined },
      context(),
      byProjectToken(),
    ).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RailwayAuthError);
    expect((error as RailwayAuthError).refusal).toBe('project_token_not_found');
    expect(railway.state.services(world.projects[0]?.projectId)).toHaveLength(1);
    expect(farm().agent_map[0]?.status).not.toBe('destroyed');
    expect(events()).toEqual(['sandbox_created']);
  });

  it.each(['not_authorized', 'not_found'] as const)(
    'a service deleted by hand (serviceDelete answers %s) is closed as already gone, after the listing confirms it',
    async (unknownServiceDelete) => {
      railway.setSwitches({ unknownServiceDelete });
      await provisionSandbox(settings(), context(), accounts(), 'https://github.com');
      const [service] = railway.state.services(world.projects[0]?.projectId);
      await createRailwayClient({
        token: 'rw_account_1_token',
        apiUrl: railway.url,
        logger: gh.logger,
      }).deleteService(service?.id ?? '', { projectId: world.projects[0]?.projectId ?? '' });
      await closeIssue();
      const result = await destroySandbox(
        { issueNumber: 7, archiveDirectory: undefined },
        context(),
        accounts(),
      );
      expect(result.report.rows[0]).toEqual(['issue-7', 'already gone']);
      expect(farm().agent_map[0]?.status).toBe('destroyed');
    },
  );
});

describe('provision never puts one issue on two accounts, nor creates twice', () => {
  it.each([
    ['already_exists', 'A service named "issue-7" already exists in this project'],
    ['unique', 'Service name must be unique within a project'],
  ] as const)('a taken name (%s) is never a reason to try the next account', async (_, message) => {
    railway.injectFault({ operation: 'ServiceCreate', kind: 'graphql_error', message });
    await expect(provisionSandbox(settings(), context(), accounts(2), 'https://github.com')).rejects.toThrow(
      /refused to create the service "issue-7" because the name is taken.*No other account was tried/,
    );
    expect(railway.state.services(world.projects[1]?.projectId)).toHaveLength(0);
    expect(creates()).toBe(1);
  });

  it.each(['already_exists', 'unique'] as const)(
    'a name another run took between find and create (%s) is adopted on the same account',
    async (duplicateName) => {
      railway.setSwitches({ duplicateName });
      const rival = createRailwayClient({
        token: 'rw_account_1_token',
        apiUrl: railway.url,
        logger: gh.logger,
      });
      let raced = false;
      const racing: typeof fetch = async (input, init) => {
        if (
          !raced &&
          typeof init?.body === 'string' &&
          init.body.includes('"operationName":"ServiceCreate"')
        ) {
          raced = true;
          await rival.createService({
            projectId: world.projects[0]?.projectId ?? '',
            name: 'issue-7',
            variables: {},
          });
        }
        return fetch(input, init);
      };
      const result = await provisionSandbox(
        settings(),
        context(),
        accounts(2, { fetch: racing }),
        'https://github.com',
      );
      expect(result.report.rows[0]).toEqual(['What happened', 'adopted an unrecorded sandbox']);
      expect(railway.state.services(world.projects[0]?.projectId)).toHaveLength(1);
      expect(railway.state.services(world.projects[1]?.projectId)).toHaveLength(0);
      expect(farm().agent_map[0]).toMatchObject({ issue: 7, account_id: 1 });
    },
  );

  it('a 503 on serviceCreate is not resent: the run stops, nothing is tried elsewhere, the re-run creates once', async () => {
    railway.injectFault({ operation: 'ServiceCreate', kind: 'server_error', status: 503 });
    const error = await provisionSandbox(settings(), context(), accounts(2), 'https://github.com').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RailwayOutcomeUnknownError);
    expect(creates()).toBe(1);
    expect(railway.state.services()).toHaveLength(0);
    expect(
      gh.logger.lines.some((l) => /Re-run this job: it adopts the service by name/.test(l.message)),
    ).toBe(true);

    await provisionSandbox(settings(), context(), accounts(2), 'https://github.com');
    expect(creates()).toBe(2);
    expect(railway.state.services(world.projects[0]?.projectId).map((s) => s.name)).toEqual(['issue-7']);
  });

  it('a create whose answer was lost after Railway created it is found by name on the same account', async () => {
    let lose = true;
    const losing: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (lose && typeof init?.body === 'string' && init.body.includes('"operationName":"ServiceCreate"')) {
        lose = false;
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
        });
      }
      return answer;
    };
    const result = await provisionSandbox(
      settings(),
      context(),
      accounts(2, { fetch: losing }),
      'https://github.com',
    );
    expect(creates()).toBe(1);
    expect(result.outputs['service-id']).toBe(railway.state.services(world.projects[0]?.projectId)[0]?.id);
    expect(farm().agent_map[0]).toMatchObject({ issue: 7, account_id: 1 });
    expect(railway.state.services(world.projects[1]?.projectId)).toHaveLength(0);
  });
});

// Trinity's legacy file as docs/formats.md, '.trinity/railway_farm.json' shows it: both accounts "full" (26 and 25 of the default 25).
/** Account 1's project holds 25 sandboxes (issue-100 … issue-124): at the default cap on Railway too. */
async function fillFirstAccount(): Promise<RailwayClient> {
  const setup = createRailwayClient({ token: 'rw_account_1_token', apiUrl: railway.url, logger: gh.logger });
  for (let n = 100; n < 125; n++) {
    await setup.createService({
      projectId: world.projects[0]?.projectId ?? '',
      name: `issue-${n}`,
      variables: {},
    });
  }
  return setup;
}

const LEGACY_FULL = `{"accounts":[
  {"account_id":1,"alias":"primary","daily_creates":12,"active_services":26,"daily_reset_epoch":1773792000},
  {"account_id":2,"alias":"farm-2","daily_creates":17,"active_services":25,"daily_reset_epoch":1773792000}
],"agent_map":[
  {"issue":2026198461,"account_id":2,"service_id":"e01e6005-f85d-40e3-8afa-2ccf001bbc7f"},
  {"issue":506,"account_id":1,"service_id":"5c3f29ff-b38b-47fd-8471-f1209ebda5e4"}
]}
`;

describe('account counters are a cache; Railway is the truth', () => {
  it('a legacy mapping whose counters say every account is full, while Railway holds no service, provisions the next issue', async () => {
    await writeFarm(LEGACY_FULL);
    const result = await provisionSandbox(settings(), context(), accounts(2), 'https://github.com');
    expect(result.outputs.status).toBe('deploying');
    expect(railway.state.services(world.projects[0]?.projectId).map((s) => s.name)).toEqual(['issue-7']);
    // The counters now say what Railway holds, the new sandbox included.
    expect(farm().accounts.map((a) => [a.account_id, a.active_services])).toEqual([
      [1, 1],
      [2, 0],
    ]);
    expect(events()).toEqual(['sandbox_created']);
  });

  it('when Railway is full too, the refusal says what was counted where', async () => {
    await writeFarm(LEGACY_FULL);
    const setup = await fillFirstAccount();
    // Not a sandbox: it takes no slot.
    await setup.createService({
      projectId: world.projects[0]?.projectId ?? '',
      name: 'postgres',
      variables: {},
    });
    const result = await provisionSandbox(settings(), context(), accounts(1), 'https://github.com');
    expect(result.outputs.status).toBe('refused');
    const why = result.report.rows.find(([label]) => label === 'Why')?.[1] ?? '';
    expect(why).toBe(
      'every Railway account is at its cap of live sandboxes or daily creates: account 1: 25 of 25 live ' +
        `sandboxes counted on Railway in project ${world.projects[0]?.projectId} (services named like ` +
        '"issue-{issue}" or bound in the mapping); 0 of 50 creates today (mapping file)',
    );
    expect(creates()).toBe(26);

    // Another sandbox appears meanwhile: the counts in the reason move, but it is the same refusal.
    await setup.createService({
      projectId: world.projects[0]?.projectId ?? '',
      name: 'issue-125',
      variables: {},
    });
    const again = await provisionSandbox(settings(), context(), accounts(1), 'https://github.com');
    expect(again.report.rows.find(([label]) => label === 'Why')?.[1]).toContain('26 of 25 live sandboxes');
    expect(events().filter((type) => type === 'sandbox_refused')).toHaveLength(1);
  });

  it('an orphan of this issue (a run died between create and record) is adopted even when every account is full', async () => {
    await writeFarm(LEGACY_FULL);
    const setup = await fillFirstAccount();
    const orphan = await setup.createService({
      projectId: world.projects[0]?.projectId ?? '',
      name: 'issue-7',
      variables: {},
    });

    const result = await provisionSandbox(settings(), context(), accounts(1), 'https://github.com');

    expect(result.outputs.status).not.toBe('refused');
    expect(result.outputs['service-id']).toBe(orphan.id);
    expect(farm().agent_map.find((row) => row.issue === 7)?.service_id).toBe(orphan.id);
    expect(creates()).toBe(26);
    expect(events()).toEqual(['sandbox_created']);
  });

  it('the sweep sets the counters to what Railway holds', async () => {
    await writeFarm(LEGACY_FULL);
    await provisionSandbox(settings(), context(), accounts(2), 'https://github.com');
    await writeFarm(
      (gh.emulator.repo(REPO).readFile(FARM) ?? '').replace(/("active_services":\s*)1\b/, '$126'),
    );
    expect(farm().accounts[0]?.active_services).toBe(26);
    const result = await sweepSandboxes(
      { ttlMs: undefined, archiveRoot: undefined, serviceName: 'issue-{issue}' },
      context(),
      accounts(2),
    ).catch((error: { result?: unknown }) => error.result as Awaited<ReturnType<typeof sweepSandboxes>>);
    expect(farm().accounts.map((a) => [a.account_id, a.active_services])).toEqual([
      [1, 1],
      [2, 0],
    ]);
    // Closing #506 (its service is gone) counted 26 down to 25; the recount says 1.
    expect(result.report.rows).toEqual([
      [
        '#506',
        '5c3f29ff-b38b-47fd-8471-f1209ebda5e4: closed in the mapping (its service no longer exists on Railway)',
      ],
      ['Accounts', 'account 1: 25 → 1 live sandboxes (counted on Railway)'],
    ]);
  });
});

describe('the sweep closes without asking Railway only what it saw gone', () => {
  it('an issue bound twice (Trinity appended rows): the gone service is closed, the live one is deleted, not left billing', async () => {
    const setup = createRailwayClient({
      token: 'rw_account_1_token',
      tokenKind: 'account',
      apiUrl: railway.url,
      logger: gh.logger,
    });
    const live = await setup.createService({
      projectId: world.projects[0]?.projectId ?? '',
      name: 'issue-7',
      variables: {},
    });
    await writeFarm(`{"accounts":[
  {"account_id":1,"alias":"primary","daily_creates":1,"active_services":2,"daily_reset_epoch":1773792000}
],"agent_map":[
  {"issue":7,"account_id":1,"service_id":"${live.id}"},
  {"issue":7,"account_id":1,"service_id":"0b7e1c2d-0000-4000-8000-deleted0by0hand"}
]}
`);
    await sweepSandboxes(
      { ttlMs: undefined, archiveRoot: undefined, serviceName: 'issue-{issue}' },
      context(),
      accounts(1),
    ).catch((error: { result?: unknown }) => error.result);

    expect(railway.state.services(world.projects[0]?.projectId)).toHaveLength(0);
    expect(railway.requests.filter((r) => r.operationName === 'ServiceDelete')).toHaveLength(1);
    expect(farm().agent_map.map((row) => row.status)).toEqual(['destroyed', 'destroyed']);
  });
});

describe('tokens that cannot read `me`', () => {
  it.each(['workspace', 'project'] as const)(
    'provision and destroy work with a %s token, which never asks `me`',
    async (kind) => {
      const token = `rw_${kind}_token`;
      railway.addToken(
        kind === 'workspace'
          ? { token, kind }
          : {
              token,
              kind,
              projectId: world.projects[0]?.projectId ?? '',
              environmentId: world.projects[0]?.environmentId ?? '',
            },
      );
      await provisionSandbox(
        settings(),
        context(),
        accounts(1, { token, tokenKind: kind }),
        'https://github.com',
      );
      await closeIssue();
      await destroySandbox(
        { issueNumber: 7, archiveDirectory: undefined },
        context(),
        accounts(1, { token, tokenKind: kind }),
      );
      expect(railway.state.services()).toHaveLength(0);
      expect(railway.requests.map((r) => r.operation)).not.toContain('Me');
      expect(events()).toEqual(['sandbox_created', 'sandbox_destroyed']);
    },
  );
});
