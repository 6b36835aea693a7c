export * from './testDatabase.js';
