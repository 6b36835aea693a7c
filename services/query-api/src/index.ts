export * from './queryRouter.js';
export * from './queryParts.js';
