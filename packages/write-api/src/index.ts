export * from './writeContext.js';
export * from './headers.js';
export * from './projectCommandRoute.js';
export * from './projectReads.js';
export * from './outputView.js';
export * from './outputRoutes.js';
export * from './outputList.js';
