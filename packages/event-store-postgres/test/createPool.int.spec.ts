import { expect } from 'chai';
import { createPool } from '../src/index.js';
import { createTestDatabase } from '../src/testing/index.js';

describe('createPool: connections once opened stay open', () => {
  it('keeps every connection through a quiet spell longer than the idle timeout, unless told a smaller min', async () => {
    const db = await createTestDatabase();
    // A quiet spell of 300 ms against an idle timeout of 50 ms: pg's own default closes them all.
    const kept = createPool({ connectionString: db.connectionString, max: 3, idleTimeoutMillis: 50 });
    const closing = createPool({ connectionString: db.connectionString, max: 3, idleTimeoutMillis: 50, min: 0 });
    try {
      for (const pool of [kept, closing]) await Promise.all([1, 2, 3].map(() => pool.query('select pg_sleep(0.05)')));
      expect([kept.totalCount, closing.totalCount]).to.deep.equal([3, 3]);
      await new Promise((r) => setTimeout(r, 300));
      expect(kept.totalCount, 'kept').to.equal(3);
      expect(closing.totalCount, 'closed after the idle timeout').to.equal(0);
    } finally {
      await kept.end();
      await closing.end();
      await db.drop();
    }
  });
});
