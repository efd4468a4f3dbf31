export * from './types.js';
export * from './race-loop.js';
export * from './api-backend.js';
export * from './graphql-documents.js';
export * from './graphql-errors.js';
export * from './git-backend.js';
export * from './git-runner.js';
export * from './farm-plan.js';
