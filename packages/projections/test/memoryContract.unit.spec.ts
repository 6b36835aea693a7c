import { createInMemoryEventStore } from '@il/event-store';
import { createMemoryReadModels } from '../src/index.js';
import { describeReadModelContract } from '../src/contract/index.js';

// The read-model contract on the in-memory engine: the same suite as PostgreSQL's and MongoDB's, without a database.
describeReadModelContract('memory', async () => {
  const store = createInMemoryEventStore();
  const readModels = createMemoryReadModels({ store });
  return { store, readModels, dispose: () => readModels.close() };
});
