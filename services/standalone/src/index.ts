export * from './startSystem.js';
export * from './demo/loadSocQuality.js';
export * from './demo/outputRequest.js';
