export * from './engines.js';
export * from './repoRoot.js';
