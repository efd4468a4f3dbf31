/**
 * Reading `.trinity/railway_farm.json`: JSON to `unknown`, then validated field by field
 * (docs/design.md, 'JSON from disk is unknown until validated'), so a hand-edited or
 * merge-conflicted file fails here with a line and column
 * instead of as a later `undefined`.
 */
import { FarmCorruptError, UnsupportedFarmVersionError } from './errors.js';
import { formatJsonPath, lineColumn, locateJsonPath, scanJson, type JsonPathStep } from './json-text.js';
import {
  FARM_VERSION,
  ROW_STRING_FIELDS,
  ROW_TIME_FIELDS,
  SANDBOX_STATUSES,
  UNBOUND_ACCOUNT_ID,
  UNBOUND_STATUS,
  type Farm,
  type FarmAccount,
  type FarmRow,
} from './types.js';

type Json = Record<string, unknown>;

/** A shape problem found after JSON.parse; located in the text by its path. */
class ShapeProblem extends Error {
  constructor(
    readonly path: readonly JsonPathStep[],
    readonly problem: string,
  ) {
    super(problem);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function integer(obj: Json, key: string, at: readonly JsonPathStep[], min: number, required: boolean): void {
  const value = obj[key];
  if (value === undefined && !required) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const wanted = min === 1 ? 'a positive whole number' : 'a whole number ≥ 0';
    const found = value === undefined ? 'it is missing' : `found ${describe(value)}`;
    throw new ShapeProblem([...at, key], `"${key}" must be ${wanted}, ${found}`);
  }
}

function optionalString(obj: Json, key: string, at: readonly JsonPathStep[]): void {
  const value = obj[key];
  if (value !== undefined && typeof value !== 'string') {
    throw new ShapeProblem([...at, key], `"${key}" must be a string (or left out), found ${describe(value)}`);
  }
}

function checkRow(value: unknown, index: number): FarmRow {
  const at = ['agent_map', index];
  if (!isObject(value)) throw new ShapeProblem(at, `a row must be an object, found ${describe(value)}`);
  integer(value, 'issue', at, 1, true);
  const unbound = value['status'] === UNBOUND_STATUS;
  // Only an unbound row may name account 0 (no account); it must then name no service either.
  integer(value, 'account_id', at, unbound ? 0 : 1, true);
  if (unbound && value['account_id'] !== UNBOUND_ACCOUNT_ID) {
    throw new ShapeProblem(
      [...at, 'account_id'],
      `a row with "status":"${UNBOUND_STATUS}" (no sandbox) must have "account_id":${UNBOUND_ACCOUNT_ID}, found ${describe(value['account_id'])}`,
    );
  }
  if (unbound && value['service_id'] !== '') {
    throw new ShapeProblem(
      [...at, 'service_id'],
      `a row with "status":"${UNBOUND_STATUS}" (no sandbox) must have "service_id":"", found ${describe(value['service_id'])}`,
    );
  }
  if (typeof value['service_id'] !== 'string') {
    const found =
      value['service_id'] === undefined ? 'it is missing' : `found ${describe(value['service_id'])}`;
    throw new ShapeProblem([...at, 'service_id'], `"service_id" must be a string, ${found}`);
  }
  for (const key of [...ROW_STRING_FIELDS, ...ROW_TIME_FIELDS]) optionalString(value, key, at);
  const status = value['status'];
  if (
    status !== undefined &&
    !([...SANDBOX_STATUSES, UNBOUND_STATUS] as readonly unknown[]).includes(status)
  ) {
    throw new ShapeProblem(
      [...at, 'status'],
      `"status" must be one of ${[...SANDBOX_STATUSES, UNBOUND_STATUS].join(', ')}, found ${describe(status)}`,
    );
  }
  integer(value, 'status_comment_id', at, 1, false);
  // Spread (not assignment) so an own "__proto__" key stays a plain, preserved key.
  return { ...value } as FarmRow;
}

function checkAccount(value: unknown, index: number, seen: Map<number, number>): FarmAccount {
  const at = ['accounts', index];
  if (!isObject(value)) throw new ShapeProblem(at, `an account must be an object, found ${describe(value)}`);
  integer(value, 'account_id', at, 1, true);
  optionalString(value, 'alias', at);
  for (const key of ['daily_creates', 'active_services', 'daily_reset_epoch'])
    integer(value, key, at, 0, false);
  const id = value['account_id'] as number;
  const first = seen.get(id);
  // Two counters for one account would make the caps ambiguous: ask a person which one is right.
  if (first !== undefined) {
    throw new ShapeProblem([...at, 'account_id'], `account_id ${id} appears twice (also accounts[${first}])`);
  }
  seen.set(id, index);
  // Counters a hand-written entry leaves out start at zero.
  return { daily_creates: 0, active_services: 0, daily_reset_epoch: 0, ...value } as FarmAccount;
}

function checkArray(top: Json, key: 'accounts' | 'agent_map'): readonly unknown[] {
  const value = top[key];
  if (!Array.isArray(value)) {
    const found = value === undefined ? 'it is missing' : `found ${describe(value)}`;
    throw new ShapeProblem([key], `"${key}" must be an array, ${found}`);
  }
  return value;
}

function toFarm(data: unknown, text: string, path: string): Farm {
  if (!isObject(data))
    throw new ShapeProblem([], `the file must hold a JSON object, found ${describe(data)}`);
  if ('version' in data && data['version'] !== FARM_VERSION) {
    const { line, column } = lineColumn(text, locateJsonPath(text, ['version']) ?? 0);
    throw new UnsupportedFarmVersionError(path, data['version'], { line, column, jsonPath: 'version' });
  }
  const seen = new Map<number, number>();
  const accounts = checkArray(data, 'accounts').map((a, i) => checkAccount(a, i, seen));
  // Rows are kept exactly as found, in order: duplicates and pseudo-issues (≥ 2^30) included.
  const agentMap = checkArray(data, 'agent_map').map(checkRow);
  return { ...data, version: FARM_VERSION, accounts, agent_map: agentMap };
}

/**
 * Parses and validates the farm file's text. Accepts version 2 and the legacy Trinity shape
 * (`{accounts, agent_map}` without `version`); always returns the version-2 model. `path` is only
 * used in messages. Throws `FarmCorruptError` (line, column, JSON path, what to do) for empty
 * text, invalid JSON or a wrong shape, and `UnsupportedFarmVersionError` for another version.
 */
export function parseFarm(text: string, path: string): Farm {
  // Editors on Windows may add a byte-order mark; it is not JSON but not damage either.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') {
    throw new FarmCorruptError(path, 'the file is empty', { line: 1, column: 1 });
  }
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    const scanned = scanJson(body);
    const reported = /at position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    const offset = scanned?.offset ?? (reported === undefined ? body.length : Number(reported));
    const problem = scanned?.problem ?? (error instanceof Error ? error.message : String(error));
    throw new FarmCorruptError(path, `not valid JSON: ${problem}`, lineColumn(body, offset));
  }
  try {
    return toFarm(data, body, path);
  } catch (error) {
    if (!(error instanceof ShapeProblem)) throw error;
    const { line, column } = lineColumn(body, locateJsonPath(body, error.path) ?? 0);
    throw new FarmCorruptError(path, error.problem, { line, column, jsonPath: formatJsonPath(error.path) });
  }
}
