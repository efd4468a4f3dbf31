import { SERVICE_CREATE } from '../../../packages/core/src/railway/documents.js';
import { startRailwayEmulator } from './index.js';
import type { RailwayEmulator, RailwayEmulatorOptions } from './index.js';

export const ACCOUNT_TOKEN = 'acct-token-0000-1111-2222-abcd';
export const PROJECT_TOKEN = 'proj-token-3333-4444-5555-wxyz';
export const OTHER_PROJECT_TOKEN = 'proj-token-6666-7777-8888-qrst';

export interface GqlResponse {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; locations?: unknown; path?: unknown; extensions?: Record<string, unknown> }[];
  };
}

export interface Setup {
  emu: RailwayEmulator;
  projectId: string;
  environmentId: string;
  environmentIds: Record<string, string>;
  otherProjectId: string;
  gql(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GqlResponse>;
}

export const bearer = (token = ACCOUNT_TOKEN) => ({ authorization: `Bearer ${token}` });
export const projectAccess = (token = PROJECT_TOKEN) => ({ 'project-access-token': token });

/** One emulator with a two-environment project, a second project, and one token of each kind. */
export async function setup(options?: RailwayEmulatorOptions): Promise<Setup> {
  const emu = await startRailwayEmulator(options);
  const { projectId, environmentId, environmentIds } = emu.addProject({
    name: 'sandbox',
    environments: ['production', 'staging'],
  });
  const other = emu.addProject({ name: 'other' });
  emu.addToken({ token: ACCOUNT_TOKEN, kind: 'account', userEmail: 'lead@example.com' });
  emu.addToken({ token: PROJECT_TOKEN, kind: 'project', projectId, environmentId });
  emu.addToken({
    token: OTHER_PROJECT_TOKEN,
    kind: 'project',
    projectId: other.projectId,
    environmentId: other.environmentId,
  });
  const gql: Setup['gql'] = async (query, variables = {}, headers = bearer()) => {
    const res = await fetch(emu.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResponse['body'] };
  };
  return { emu, projectId, environmentId, environmentIds, otherProjectId: other.projectId, gql };
}

// The product's own documents, where a test needs what the product asks: the emulator is checked
// against the requests it will really get. Only documents are shared, never the client's logic.
export { DEPLOYMENT, SERVICE_CREATE } from '../../../packages/core/src/railway/documents.js';

export const LATEST = /* GraphQL */ `
  query Latest($serviceId: String!, $environmentId: String!) {
    serviceInstance(serviceId: $serviceId, environmentId: $environmentId) {
      latestDeployment {
        id
        status
      }
    }
  }
`;

export async function createService(
  s: Setup,
  name: string,
  extra: Record<string, unknown> = { source: { image: 'ghcr.io/acme/app:latest' } },
): Promise<string> {
  const r = await s.gql(SERVICE_CREATE, { input: { projectId: s.projectId, name, ...extra } });
  const created = r.body.data?.serviceCreate as { id: string } | undefined;
  if (!created) throw new Error(`serviceCreate failed: ${JSON.stringify(r.body)}`);
  return created.id;
}
