export * from './queryRouter.js';
export * from './queryParts.js';
export * from './readModelsFromConfig.js';
export * from './reportRoutes.js';
export * from './transmissionRoutes.js';
