export * from './testDatabase.js';
export * from './engines.js';
