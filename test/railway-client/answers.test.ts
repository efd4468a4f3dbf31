// The client against Railway's real answers (test/emulators/railway/README.md, behaviour → source):
// refusals of a token are auth errors and never "gone"; a mutation without a usable answer is
// never sent twice; deletes are confirmed by listing; log tails are capped and trimmed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  authRefusalOf,
  DEFAULT_MUTATION_TIMEOUT_MS,
  DEFAULT_QUERY_TIMEOUT_MS,
  isNameTaken,
  MAX_LOG_LINES,
  RailwayAuthError,
  RailwayGraphQLError,
  RailwayHttpError,
  RailwayNetworkError,
  RailwayOutcomeUnknownError,
  SERVICES_PAGE_SIZE,
} from '../../packages/core/src/railway/index.js';
import type { RailwayClient } from '../../packages/core/src/railway/index.js';
import { answerLostAfterActing } from '../support/railway-timeouts.js';
import { PROJECT_TOKEN, rejectionOf, startWorld } from './world.js';
import type { World } from './world.js';

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.emu.close();
});

const operations = () => w.emu.requests.map((r) => r.operationName);
const count = (name: string) => operations().filter((op) => op === name).length;

/**
 * A fetch whose answer to the first request of `operation` is lost after Railway carried it out:
 * the request reaches the emulator and runs, then the client's timeout fires before the answer
 * arrives. The timeout is the client's own signal (clock.abortAfter), aborted here on cue.
 */
function answerLostAfter(operation: string) {
  const lost = answerLostAfterActing(operation);
  return {
    timeouts: lost.timeouts,
    clock: {
      sleep: (ms: number) => {
        w.sleeps.push(ms);
        w.emu.advance(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      now: () => w.emu.now(),
      abortAfter: lost.abortAfter,
    },
    fetch: lost.fetch,
  };
}

/** A fetch that cannot connect for the first request of `operation`: nothing leaves the machine. */
function refusedOnceFor(operation: string): typeof fetch {
  let armed = true;
  return async (input, init) => {
    if (armed && typeof init?.body === 'string' && init.body.includes(`"operationName":"${operation}"`)) {
      armed = false;
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }),
      });
    }
    return fetch(input, init);
  };
}

async function newService(client: RailwayClient, name: string, image = 'nginx') {
  return client.createService({ projectId: w.projectId, name, source: { image }, variables: {} });
}

describe('Railway client: a refused token is an auth error, never "gone"', () => {
  it('reads only the exact wordings Railway uses for a refused token', () => {
    expect(authRefusalOf('Not Authorized')).toBe('not_authorized');
    expect(authRefusalOf('Project Token not found')).toBe('project_token_not_found');
    expect(authRefusalOf('Two Factor Authentication Required')).toBe('two_factor_required');
    expect(authRefusalOf('Service not found')).toBeUndefined();
    expect(authRefusalOf('Deployment not found')).toBeUndefined();
    expect(authRefusalOf('You are not authorized to delete the database of another team')).toBeUndefined();
  });

  it('a revoked project token is a RailwayAuthError (Project Token not found), with what to do', async () => {
    w.emu.addToken({
      token: 'pt-soon-revoked',
      kind: 'project',
      projectId: w.projectId,
      environmentId: w.environmentId,
    });
    const client = w.client({ token: 'pt-soon-revoked', tokenKind: 'project' });
    await client.listServices(w.projectId);
    w.emu.revokeToken('pt-soon-revoked');
    const error = await rejectionOf(client.listServices(w.projectId));
    expect(error).toBeInstanceOf(RailwayAuthError);
    expect(error).toMatchObject({
      refusal: 'project_token_not_found',
      railwayMessage: 'Project Token not found',
    });
    expect(error.message).toContain('The project token was revoked or deleted');
    expect(error.message).toContain('Settings → Tokens');
  });

  it('deleting with a revoked project token throws the auth error and leaves the service alone', async () => {
    const { id } = await newService(w.client(), 'issue-1');
    w.emu.addToken({
      token: 'pt-revoked-2',
      kind: 'project',
      projectId: w.projectId,
      environmentId: w.environmentId,
    });
    const client = w.client({ token: 'pt-revoked-2', tokenKind: 'project' });
    w.emu.revokeToken('pt-revoked-2');
    const error = await rejectionOf(
      client.deleteService(id, { projectId: w.projectId, environmentId: w.environmentId }),
    );
    expect(error).toBeInstanceOf(RailwayAuthError);
    expect(error).toMatchObject({ refusal: 'project_token_not_found' });
    expect(w.emu.state.services(w.projectId).map((s) => s.id)).toEqual([id]);
  });

  it('Two Factor Authentication Required is an auth error naming the workspace and where to enable 2FA', async () => {
    w.emu.addToken({ token: 'acct-without-2fa', kind: 'account', twoFactorRequiredBy: 'Acme Corp' });
    const error = await rejectionOf(w.client({ token: 'acct-without-2fa' }).listServices(w.projectId));
    expect(error).toBeInstanceOf(RailwayAuthError);
    expect(error).toMatchObject({ refusal: 'two_factor_required', workspaceName: 'Acme Corp' });
    expect(error.message).toContain('The workspace "Acme Corp" requires two-factor authentication');
    expect(error.message).toContain('https://railway.com/account/security');
  });

  it('me is refused to workspace and project tokens, which the product never asks it with', async () => {
    w.emu.addToken({ token: 'ws-token-1', kind: 'workspace' });
    for (const client of [
      w.client({ token: 'ws-token-1', tokenKind: 'workspace' }),
      w.client({ token: PROJECT_TOKEN, tokenKind: 'project' }),
    ]) {
      const error = await rejectionOf(client.whoAmI());
      expect(error).toBeInstanceOf(RailwayAuthError);
      expect(error).toMatchObject({ refusal: 'not_authorized' });
      // …while everything the product does works with the same token.
      await expect(client.listServices(w.projectId)).resolves.toEqual([]);
    }
  });
});

describe('Railway client: mutations are sent once', () => {
  it('gives queries 30 s and mutations 90 s before abandoning them', async () => {
    const lost = answerLostAfter('none');
    const client = w.client({ clock: lost.clock });
    await client.listServices(w.projectId);
    await newService(client, 'issue-2');
    expect(DEFAULT_QUERY_TIMEOUT_MS).toBe(30_000);
    expect(DEFAULT_MUTATION_TIMEOUT_MS).toBe(90_000);
    expect(lost.timeouts).toEqual([30_000, 90_000]);
  });

  it.each([
    ['a 503', { kind: 'server_error', status: 503 }, RailwayHttpError],
    ['a Cloudflare 502 page', { kind: 'html', status: 502 }, RailwayHttpError],
    ['a dropped connection', { kind: 'drop' }, RailwayNetworkError],
  ] as const)('serviceCreate after %s is not resent: RailwayOutcomeUnknownError', async (_, fault, cause) => {
    w.emu.injectFault({ operation: 'ServiceCreate', ...fault });
    const error = await rejectionOf(newService(w.client(), 'issue-3'));
    expect(error).toBeInstanceOf(RailwayOutcomeUnknownError);
    expect(error).toMatchObject({
      reason: 'outcome_unknown',
      outcomeUnknown: true,
      operation: 'ServiceCreate',
    });
    expect((error as RailwayOutcomeUnknownError).failure).toBeInstanceOf(cause);
    expect(error.message).toMatch(/^Railway may or may not have carried out ServiceCreate: /);
    expect(count('ServiceCreate')).toBe(1);
    expect(w.sleeps).toEqual([]);
  });

  it('a timeout after Railway created the service: not resent, and ensureService finds it by name', async () => {
    const lost = answerLostAfter('ServiceCreate');
    const client = w.client({ fetch: lost.fetch, clock: lost.clock });
    const error = await rejectionOf(newService(client, 'issue-4'));
    expect(error).toBeInstanceOf(RailwayOutcomeUnknownError);
    expect((error as RailwayOutcomeUnknownError).failure).toMatchObject({ reason: 'timeout' });
    expect(w.emu.state.services(w.projectId).map((s) => s.name)).toEqual(['issue-4']);

    w.emu.clearRequests();
    const again = answerLostAfter('ServiceCreate');
    const ensured = await w
      .client({ fetch: again.fetch, clock: again.clock })
      .ensureService({ projectId: w.projectId, name: 'issue-5', variables: {} });
    expect(ensured).toMatchObject({ created: false, service: { name: 'issue-5' } });
    expect(operations()).toEqual(['ProjectServices', 'ServiceCreate', 'ProjectServices']);
    expect(w.emu.state.services(w.projectId).map((s) => s.name)).toEqual(['issue-4', 'issue-5']);
  });

  it.each(['ServiceInstanceDeployV2', 'ServiceDomainCreate', 'VariableCollectionUpsert'] as const)(
    '%s after a 502 is not resent',
    async (operation) => {
      const { id } = await newService(w.client(), 'issue-6');
      w.emu.clearRequests();
      w.emu.injectFault({ operation, kind: 'server_error', status: 502 });
      const client = w.client();
      const call =
        operation === 'ServiceInstanceDeployV2'
          ? client.deployService(id, w.environmentId)
          : operation === 'ServiceDomainCreate'
            ? client.createServiceDomain(id, w.environmentId)
            : client.upsertVariables({
                projectId: w.projectId,
                environmentId: w.environmentId,
                serviceId: id,
                variables: { A: 'b' },
              });
      const error = await rejectionOf(call);
      expect(error).toBeInstanceOf(RailwayOutcomeUnknownError);
      expect(count(operation)).toBe(1);
    },
  );

  it('a 429 on a mutation is retried after Retry-After: the rate limiter refused it before it ran', async () => {
    w.emu.injectFault({ operation: 'ServiceCreate', kind: 'rate_limit', retryAfterSeconds: 2 });
    await newService(w.client(), 'issue-7');
    expect(w.sleeps).toEqual([2000]);
    expect(count('ServiceCreate')).toBe(2);
    expect(w.emu.state.services(w.projectId)).toHaveLength(1);
  });

  it('a refused connection on a mutation is retried: nothing was sent', async () => {
    await newService(w.client({ fetch: refusedOnceFor('ServiceCreate') }), 'issue-8');
    expect(w.sleeps).toEqual([500]);
    expect(count('ServiceCreate')).toBe(1);
    expect(w.emu.state.services(w.projectId).map((s) => s.name)).toEqual(['issue-8']);
  });

  it('queries are still retried after a 503', async () => {
    w.emu.injectFault({ operation: 'ProjectServices', kind: 'server_error', status: 503 });
    await w.client().listServices(w.projectId);
    expect(count('ProjectServices')).toBe(2);
  });
});

describe('Railway client: deletes are confirmed by the project’s list of services', () => {
  it.each(['not_authorized', 'not_found'] as const)(
    'a service that is not listed is already gone (unknown id answered %s)',
    async (unknownServiceDelete) => {
      w.emu.setSwitches({ unknownServiceDelete });
      const { id } = await newService(w.client(), 'issue-9');
      const client = w.client();
      expect(await client.deleteService(id, { projectId: w.projectId })).toEqual({
        deleted: true,
        alreadyGone: false,
      });
      expect(await client.deleteService(id, { projectId: w.projectId })).toEqual({
        deleted: false,
        alreadyGone: true,
      });
    },
  );

  it('a refusal for a service still listed is thrown, not taken for "gone"', async () => {
    const { id } = await newService(w.client(), 'issue-10');
    w.emu.injectFault({ operation: 'ServiceDelete', kind: 'graphql_error', message: 'Not Authorized' });
    const error = await rejectionOf(w.client().deleteService(id, { projectId: w.projectId }));
    expect(error).toBeInstanceOf(RailwayAuthError);
    expect(w.emu.state.services(w.projectId)).toHaveLength(1);
  });

  it('a "not found" message for a service still listed is thrown too', async () => {
    const { id } = await newService(w.client(), 'issue-11');
    w.emu.injectFault({ operation: 'ServiceDelete', kind: 'graphql_error', message: 'Service not found' });
    const error = await rejectionOf(w.client().deleteService(id, { projectId: w.projectId }));
    expect(error).toBeInstanceOf(RailwayGraphQLError);
    expect(w.emu.state.services(w.projectId)).toHaveLength(1);
  });

  it('a delete whose answer was lost, after Railway deleted, is confirmed by the listing', async () => {
    const { id } = await newService(w.client(), 'issue-12');
    const lost = answerLostAfter('ServiceDelete');
    const result = await w
      .client({ fetch: lost.fetch, clock: lost.clock })
      .deleteService(id, { projectId: w.projectId });
    expect(result).toEqual({ deleted: true, alreadyGone: false });
    expect(count('ServiceDelete')).toBe(1);
  });

  it('a delete without an answer, of a service still listed, stays an outcome-unknown error', async () => {
    const { id } = await newService(w.client(), 'issue-13');
    w.emu.injectFault({ operation: 'ServiceDelete', kind: 'drop' });
    const error = await rejectionOf(w.client().deleteService(id, { projectId: w.projectId }));
    expect(error).toBeInstanceOf(RailwayOutcomeUnknownError);
    expect(count('ServiceDelete')).toBe(1);
  });
});

describe('Railway client: service lists and names', () => {
  it('pages through a project’s services with first/after until hasNextPage is false', async () => {
    const client = w.client();
    for (let i = 0; i < SERVICES_PAGE_SIZE + 5; i++) {
      await client.createService({ projectId: w.projectId, name: `svc-${i}`, variables: {} });
    }
    w.emu.clearRequests();
    expect(await client.listServices(w.projectId)).toHaveLength(SERVICES_PAGE_SIZE + 5);
    expect(w.emu.requests.map((r) => r.variables)).toEqual([
      { id: w.projectId, first: SERVICES_PAGE_SIZE },
      { id: w.projectId, first: SERVICES_PAGE_SIZE, after: expect.any(String) as string },
    ]);
    expect(await client.findServiceByName(w.projectId, `svc-${SERVICES_PAGE_SIZE + 4}`)).toBeDefined();
  });

  it.each(['already_exists', 'unique'] as const)(
    'recognises a taken name in either wording Railway’s CLI matches (%s)',
    async (duplicateName) => {
      w.emu.setSwitches({ duplicateName });
      await newService(w.client(), 'issue-14');
      const error = await rejectionOf(newService(w.client(), 'issue-14'));
      expect(isNameTaken(error)).toBe(true);
      expect(
        isNameTaken(new RailwayGraphQLError('ServiceCreate', ['Service not found'], null, 200, false)),
      ).toBe(false);
    },
  );
});

describe('Railway client: log tails', () => {
  async function deployedWithLogs(): Promise<string> {
    const { id } = await newService(w.client(), 'issue-15');
    w.emu.advance(60_000);
    return (await w.client().getServiceInstance(id, w.environmentId)).latestDeployment?.id ?? '';
  }

  it.each([true, false])(
    'answers exactly the newest lines asked for (Railway adds one: %s)',
    async (logsExtraLine) => {
      w.emu.setSwitches({ logsExtraLine });
      const deploymentId = await deployedWithLogs();
      const all = await w.client().buildLogs(deploymentId, 1000);
      const tail = await w.client().buildLogs(deploymentId, 3);
      expect(tail).toEqual(all.slice(-3));
      expect(await w.client().deploymentLogs(deploymentId, 2)).toHaveLength(2);
    },
  );

  it('never asks for more than the schema’s maximum of 5000 lines', async () => {
    const deploymentId = await deployedWithLogs();
    w.emu.clearRequests();
    await w.client().buildLogs(deploymentId, 1_000_000);
    expect(MAX_LOG_LINES).toBe(5000);
    expect(w.emu.requests[0]?.variables).toMatchObject({ limit: 5000 });
  });
});
