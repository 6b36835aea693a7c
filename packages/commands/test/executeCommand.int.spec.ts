import { createPostgresEventStore } from '@il/event-store-postgres';
import { createTestDatabase } from '@il/event-store-postgres/testing';
import { describeExecuteCommand } from './executeCommandSpec.js';

describeExecuteCommand('PostgreSQL', async () => {
  const db = await createTestDatabase();
  const store = await createPostgresEventStore({ connectionString: db.connectionString });
  return {
    store,
    async dispose() {
      await store.close();
      await db.drop();
    },
  };
});
