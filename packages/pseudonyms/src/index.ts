export * from './pseudonymize.js';
export * from './keyStore.js';
export * from './actorDirectory.js';
