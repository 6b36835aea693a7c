export * from './eventStoreContract.js';
export * from './newEvent.js';
