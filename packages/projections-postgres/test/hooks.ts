export { mochaHooks } from '@il/event-store-postgres/testing';
