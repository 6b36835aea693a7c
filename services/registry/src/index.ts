export * from './registryRouter.js';
