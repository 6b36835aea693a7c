import { expect } from 'chai';
import pg from 'pg';
import { withClient } from '../src/index.js';
import { createTestDatabase } from '../src/testing/index.js';

describe('withClient: a checked-out connection lost mid-work', () => {
  it('fails the work, not the process, and does not return the broken client to the pool', async () => {
    const db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.connectionString, max: 2 });
    pool.on('error', () => undefined);
    const uncaught: unknown[] = [];
    const record = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', record);
    try {
      const failure = await withClient(pool, async (client) => {
        // The connection is reset while a query waits, as when the database restarts (ECONNRESET).
        const running = client.query('select pg_sleep(10)');
        running.catch(() => undefined);
        await new Promise((r) => setTimeout(r, 200));
        const socket = (client as unknown as { connection: { stream: { destroy(e: Error): void } } }).connection.stream;
        socket.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
        await running;
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).to.be.instanceOf(Error);
      await new Promise((r) => setTimeout(r, 100));
      expect(uncaught, 'no unhandled error event').to.deep.equal([]);
      expect((await pool.query<{ one: number }>('select 1 as one')).rows[0]!.one).to.equal(1);
      expect(pool.totalCount, 'the broken client was destroyed').to.be.at.most(1);
    } finally {
      process.off('uncaughtException', record);
      await pool.end();
      await db.drop();
    }
  });
});
