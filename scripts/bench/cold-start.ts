// Cold start of each action bundle against a bare `node -e 0`, taken side by side: every round
// starts each program once, in turn, so a busy machine slows all of them alike. "Start" is a run
// with no inputs and an empty environment: the bundle loads, reads its run context, refuses the
// missing GITHUB_REPOSITORY and exits 1. Every bundle imports everything statically, so that is the
// whole module graph's load plus one refusal (a bundle that deferred its modules past the input
// checks would look faster here without starting any faster; see docs/PERFORMANCE.md).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './stats.js';

export interface ColdStart {
  name: string;
  medianMs: number;
  ratio: number;
  /** With V8's compile cache (NODE_COMPILE_CACHE, Node ≥ 22.1), warmed once; undefined before. */
  cachedMs: number | undefined;
  cachedRatio: number | undefined;
}

export const ROUNDS = 20;

function startMs(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Whether this Node honours NODE_COMPILE_CACHE (added in 22.1.0). */
export function compileCacheSupported(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 1);
}

export function measureColdStarts(bundles: ReadonlyArray<{ name: string; path: string }>): {
  bareMs: number;
  bundles: ColdStart[];
} {
  const env = { PATH: process.env.PATH ?? '' };
  const cacheDir = mkdtempSync(join(tmpdir(), 'bench-compile-cache-'));
  const cached = { ...env, NODE_COMPILE_CACHE: cacheDir };
  const withCache = compileCacheSupported();
  try {
    if (withCache) for (const { path } of bundles) startMs([path], cached);
    const bare: number[] = [];
    const times = new Map<string, { plain: number[]; cached: number[] }>(
      bundles.map(({ name }) => [name, { plain: [], cached: [] }]),
    );
    for (let round = 0; round < ROUNDS; round++) {
      bare.push(startMs(['-e', '0'], env));
      for (const { name, path } of bundles) {
        const entry = times.get(name);
        entry?.plain.push(startMs([path], env));
        if (withCache) entry?.cached.push(startMs([path], cached));
      }
    }
    const bareMs = median(bare);
    return {
      bareMs,
      bundles: bundles.map(({ name }) => {
        const { plain = [], cached: warm = [] } = times.get(name) ?? {};
        const medianMs = median(plain);
        const cachedMs = withCache ? median(warm) : undefined;
        return {
          name,
          medianMs,
          ratio: medianMs / bareMs,
          cachedMs,
          cachedRatio: cachedMs === undefined ? undefined : cachedMs / bareMs,
        };
      }),
    };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
