export * from './outbox.js';
export * from './steps.js';
export * from './link.js';
