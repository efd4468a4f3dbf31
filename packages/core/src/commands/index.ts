export * from './parse.js';
export * from './payload.js';
