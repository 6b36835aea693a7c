import { randomUUID } from 'node:crypto';
import { createPostgresEventStore } from '@il/event-store';
import { createTestDatabase, engineUrl } from '@il/event-store/testing';
import { describeReadModelContract } from '@il/projections/contract';
import { createMongoReadModels } from '../src/index.js';

const { url, skipReason } = engineUrl('MONGODB_URL');

// Events in a fresh PostgreSQL test database, views in a fresh MongoDB database dropped afterwards.
describeReadModelContract(
  'mongodb',
  async () => {
    const pgDb = await createTestDatabase();
    const store = await createPostgresEventStore({ connectionString: pgDb.connectionString });
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
        await pgDb.drop();
      },
    };
  },
  { skipReason },
);
