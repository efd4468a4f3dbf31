export * from './octokit.js';
export * from './publisher.js';
export * from './labels.js';
export * from './status.js';
export * from './issue-state.js';
export * from './answers.js';
export * from './refusals.js';
export * from './collaborators.js';
