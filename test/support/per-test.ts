import { afterEach, beforeEach } from 'vitest';

/**
 * A fixture started before each test of the file and stopped after it, used through one handle the
 * file declares once: the handle forwards every property read and write to the current test's
 * fixture (methods are bound to it). So a file writes `const gh = perTest(startGitHub, …)` instead of
 * a `let` and the same beforeEach/afterEach pair as every other file.
 */
export function perTest<T extends object>(start: () => Promise<T>, stop: (fixture: T) => Promise<void>): T {
  let current: T | undefined;
  beforeEach(async () => {
    current = await start();
  });
  afterEach(async () => {
    const fixture = current;
    current = undefined;
    if (fixture !== undefined) await stop(fixture);
  });
  const now = (): T => {
    if (current === undefined) throw new Error('A per-test fixture is used outside a test.');
    return current;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const fixture = now();
      const value: unknown = Reflect.get(fixture, key, fixture);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(fixture) : value;
    },
    set(_, key, value) {
      return Reflect.set(now(), key, value);
    },
    has(_, key) {
      return Reflect.has(now(), key);
    },
  });
}
