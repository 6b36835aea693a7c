import { describeEventStoreContract } from '../src/contract/index.js';
import { createInMemoryEventStore } from '../src/memory/inMemoryEventStore.js';

// The same suite as PostgreSQL's and KurrentDB's: the in-memory store is only worth its unit tests if it answers
// exactly as they do.
describeEventStoreContract('in memory', async () => {
  const store = createInMemoryEventStore();
  return { store, dispose: () => store.close() };
});
