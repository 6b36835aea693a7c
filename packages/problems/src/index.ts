export * from './problemError.js';
