export { mochaHooks } from '@il/event-store/testing';
