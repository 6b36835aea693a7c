import { randomUUID } from 'node:crypto';
import { createInMemoryEventStore } from '@il/event-store';
import { engineUrl } from '@il/event-store/testing';
import { describeReadModelContract } from '@il/projections/contract';
import { createMongoReadModels } from '../src/index.js';

const { url, skipReason } = engineUrl('MONGODB_URL');

// Events in the in-memory event store (an adapter does not lean on another: the port is enough), views in a fresh
// MongoDB database dropped afterwards.
describeReadModelContract(
  'mongodb',
  async () => {
    const store = createInMemoryEventStore();
    const readModels = await createMongoReadModels({
      url: url!,
      database: `il_test_${randomUUID().slice(0, 8)}`,
      store,
    });
    return {
      store,
      readModels,
      async dispose() {
        await readModels.db.dropDatabase();
        await readModels.close();
        await store.close();
      },
    };
  },
  { skipReason },
);
