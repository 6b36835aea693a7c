export * from './pseudonymize.js';
export * from './keyStore.js';
