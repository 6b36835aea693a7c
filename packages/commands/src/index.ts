export * from './streamStates.js';
export * from './deterministicId.js';
export * from './errors.js';
export * from './executeCommand.js';
export * from './keyedLock.js';
export * from './projectCommand.js';
