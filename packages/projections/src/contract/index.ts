export * from './readModelContract.js';
export * from './scenario.js';
