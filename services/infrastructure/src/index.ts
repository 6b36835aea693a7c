export * from './infrastructureRouter.js';
