export * from './createApp.js';
export * from './errorHandler.js';
export * from './httpError.js';
export * from './logger.js';
export * from './metrics.js';
export * from './problem.js';
