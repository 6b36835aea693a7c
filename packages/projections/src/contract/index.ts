export * from './readModelContract.js';
export * from './scenario.js';
export * from './histories.js';
