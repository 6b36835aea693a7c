import { createPostgresEventStore } from '@il/event-store-postgres';
import { createTestDatabase } from '@il/event-store-postgres/testing';
import { describeReadModelContract } from '@il/projections/contract';
import { createPostgresReadModels } from '../src/index.js';

for (const queries of ['sql', 'reference'] as const) {
  describeReadModelContract(
    queries === 'sql' ? 'postgres' : 'postgres rows with the reference folds (the MongoDB query path)',
    async () => {
      const db = await createTestDatabase();
      const store = await createPostgresEventStore({ connectionString: db.connectionString });
      const readModels = await createPostgresReadModels({ connectionString: db.connectionString, store, queries });
      return {
        store,
        readModels,
        async dispose() {
          await readModels.close();
          await store.close();
          await db.drop();
        },
      };
    },
  );
}
