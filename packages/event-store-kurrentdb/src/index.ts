export * from './kurrentEventStore.js';
export * from './kurrentMapping.js';
export * from './kurrentErrors.js';
