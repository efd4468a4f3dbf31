/**
 * Writing the farm file as version 2, in the legacy file's layout: compact JSON, one account or
 * row per line. Trinity's Zig reader is a substring scanner that expects `"issue"`,
 * `"account_id"`, `"service_id"` in that order inside each row, so rows always begin with those
 * three keys, written without spaces. One object per line also keeps git diffs and merge
 * conflicts to the rows that changed.
 */
import { ACCOUNT_KEY_ORDER, FARM_VERSION, ROW_KEY_ORDER, type Farm } from './types.js';

/**
 * The object's entries with `first` keys (when present) leading in that order, then the other
 * keys in their existing order. Built with `Object.fromEntries`, which defines properties, so an
 * own `"__proto__"` key from the file is written back as the plain key it was.
 */
function ordered(obj: Readonly<Record<string, unknown>>, first: readonly string[]): Record<string, unknown> {
  const leading = first.filter((key) => Object.hasOwn(obj, key) && obj[key] !== undefined);
  const rest = Object.keys(obj).filter((key) => !first.includes(key));
  return Object.fromEntries([...leading, ...rest].map((key) => [key, obj[key]]));
}

function lines(items: readonly Readonly<Record<string, unknown>>[], first: readonly string[]): string {
  if (items.length === 0) return '[]';
  return `[\n${items.map((item) => `  ${JSON.stringify(ordered(item, first))}`).join(',\n')}\n]`;
}

/**
 * Deterministic text of a farm: `{"version":2,"accounts":[…],"agent_map":[…]` followed by any
 * preserved unknown top-level keys (compact), `}` and a final newline.
 */
export function serializeFarm(farm: Farm): string {
  const known = new Set(['version', 'accounts', 'agent_map']);
  const extra = Object.keys(farm)
    .filter((key) => !known.has(key) && farm[key] !== undefined)
    .map((key) => `,${JSON.stringify(key)}:${JSON.stringify(farm[key])}`)
    .join('');
  return (
    `{"version":${FARM_VERSION},` +
    `"accounts":${lines(farm.accounts, ACCOUNT_KEY_ORDER)},` +
    `"agent_map":${lines(farm.agent_map, ROW_KEY_ORDER)}` +
    `${extra}}\n`
  );
}
