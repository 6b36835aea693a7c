export * from './config.js';
export * from './startService.js';
export * from './runMain.js';
export * from './authSetup.js';
export * from './eventStoreFromConfig.js';
