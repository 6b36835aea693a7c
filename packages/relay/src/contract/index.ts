export * from './publisherContract.js';
