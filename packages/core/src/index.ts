export * from './errors.js';
export * from './events.js';
export * from './issue-number.js';
export * from './logger.js';
export * from './settings/inputs.js';
export * from './settings/common.js';
export * from './settings/actions.js';
export * from './lifecycle/not-implemented.js';
