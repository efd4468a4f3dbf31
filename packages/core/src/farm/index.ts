/** The farm file `.trinity/railway_farm.json`: model, parsing, writing, mapping, accounts, store. */
export * from './types.js';
export { parseFarm } from './parse.js';
export { serializeFarm } from './serialize.js';
export { formatJsonPath, lineColumn } from './json-text.js';
export {
  describeMissing,
  findBinding,
  findBindingIndex,
  findStatusCommentId,
  findUnboundIndex,
  getMapping,
  listBindings,
  type Mapping,
  type MissingField,
} from './mapping.js';
export {
  compose,
  dropExpiredRows,
  markDestroyed,
  recordCreate,
  recordDelete,
  reconcileActiveServices,
  rememberStatusComment,
  upsertBinding,
  type BindingFields,
  type FarmMutation,
} from './mutations.js';
export {
  DEFAULT_ACCOUNT_CAPS,
  MAX_ACCOUNTS,
  accountUsage,
  chooseAccount,
  dailyCreatesAt,
  discoverAccounts,
  singleAccount,
  utcDayStart,
  type AccountCaps,
  type AccountChoice,
  type AccountUsage,
  type RailwayAccount,
} from './accounts.js';
export {
  CapacityError,
  FarmCorruptError,
  NoAccountError,
  NotBoundError,
  UnsupportedFarmVersionError,
  type FarmFileLocation,
} from './errors.js';
export { createFileFarmStore, type FarmStore, type FileFarmStoreOptions } from './store.js';
