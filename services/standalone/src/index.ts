export * from './config.js';
export * from './startSystem.js';
