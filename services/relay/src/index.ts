export * from './relayParts.js';
