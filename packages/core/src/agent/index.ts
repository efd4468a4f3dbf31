export * from './outbox.js';
export * from './status-view.js';
export * from './steps.js';
export * from './link.js';
