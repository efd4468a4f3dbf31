// The Actions-runner glue, kept apart from the library so the CLI does not pull in @actions/core.
export * from './run-action.js';
export * from './run-context.js';
export * from './actions-logger.js';
export * from './wiring.js';
export * from './issue-target.js';
export * from './bodies.js';
export * from './deployment-mirror.js';
export * from './post.js';
export * from './breadcrumbs.js';
