import { createTestDatabase } from '@il/event-store-postgres/testing';
import { createPostgresEventStore } from '@il/event-store-postgres';
import { expect } from 'chai';
import { createPostgresReadModels } from '../src/index.js';

// The pool that answers queries is open in full before the first question: a burst of queries must not wait for
// new server processes (see openViewPool).
describe('the read models open their query pool in full', function () {
  this.timeout(60_000);
  it('has all its connections open and idle as soon as it is made', async () => {
    const db = await createTestDatabase();
    const store = await createPostgresEventStore({ connectionString: db.connectionString });
    const models = await createPostgresReadModels({ connectionString: db.connectionString, store });
    try {
      expect([models.pool.totalCount, models.pool.idleCount]).to.deep.equal([10, 10]);
    } finally {
      await models.close();
      await store.close();
      await db.drop();
    }
  });
});
