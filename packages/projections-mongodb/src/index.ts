export * from './mongoDocuments.js';
export * from './mongoReadModels.js';
