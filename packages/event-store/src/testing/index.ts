export * from './testDatabase.js';
export * from './engines.js';
export * from './repoRoot.js';
