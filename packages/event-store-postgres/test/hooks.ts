export { mochaHooks } from '../src/testing/index.js';
