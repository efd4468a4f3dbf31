// One Railway emulator per test with a project, an account token and a project token, and a
// client factory wired to a fake clock: `sleep` records the delay and moves the emulator's clock
// by it, so retries and rate-limit windows behave as if the time had passed, without waiting.
import { createRecordingLogger } from '../../packages/core/src/logger.js';
import { createRailwayClient } from '../../packages/core/src/railway/index.js';
import type { RailwayClient, RailwayClientOptions } from '../../packages/core/src/railway/index.js';
import { startRailwayEmulator } from '../emulators/railway/index.js';
import type { RailwayEmulator, RailwayEmulatorOptions } from '../emulators/railway/index.js';

export const ACCOUNT_TOKEN = 'acct-Zq8v-41f0-Tk7e-railway-account';
export const PROJECT_TOKEN = 'proj-Hm2c-99aa-Wx3r-railway-project';

export interface World {
  emu: RailwayEmulator;
  projectId: string;
  environmentId: string;
  otherProjectId: string;
  /** Every delay the client slept, in milliseconds. */
  sleeps: number[];
  logger: ReturnType<typeof createRecordingLogger>;
  /** An account-token client unless overridden. */
  client(overrides?: Partial<RailwayClientOptions>): RailwayClient;
  /** HTTP status of every request the emulator saw, in order. */
  statuses(): number[];
}

export async function startWorld(options: RailwayEmulatorOptions = {}): Promise<World> {
  const emu = await startRailwayEmulator({ progression: 'manual', ...options });
  const { projectId, environmentId } = emu.addProject({ name: 'sandboxes', environments: ['production'] });
  const other = emu.addProject({ name: 'someone-else' });
  emu.addToken({ token: ACCOUNT_TOKEN, kind: 'account', userEmail: 'lead@example.com' });
  emu.addToken({ token: PROJECT_TOKEN, kind: 'project', projectId, environmentId });
  const sleeps: number[] = [];
  const logger = createRecordingLogger();
  const clock = {
    sleep: (ms: number) => {
      sleeps.push(ms);
      emu.advance(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    now: () => emu.now(),
  };
  return {
    emu,
    projectId,
    environmentId,
    otherProjectId: other.projectId,
    sleeps,
    logger,
    client: (overrides = {}) =>
      createRailwayClient({
        token: ACCOUNT_TOKEN,
        tokenKind: 'account',
        apiUrl: emu.url,
        logger,
        clock,
        ...overrides,
      }),
    statuses: () => emu.requests.map((r) => r.status),
  };
}

/** The rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`, { cause: error });
  }
  throw new Error('expected a rejection, but the promise resolved');
}
