import { expect } from 'chai';
import pg from 'pg';
import { createNotifier } from '../src/postgres/notifier.js';
import { createTestDatabase } from '../src/testing/index.js';

// Each wait below is 60 s; the race's 5 s "timed out" only says which came first.
const first = (wait: Promise<void>) =>
  Promise.race([wait.then(() => 'woke'), new Promise((r) => setTimeout(() => r('timed out'), 5000))]);

describe('PostgreSQL notifier', function () {
  this.timeout(60_000);

  it('wakes a waiter on NOTIFY, and returns at once for a signal already aborted (a subscription being stopped)', async () => {
    const db = await createTestDatabase();
    const notifier = createNotifier(db.connectionString, 'il_test_news');
    const pool = new pg.Pool({ connectionString: db.connectionString, max: 1 });
    pool.on('error', () => undefined);
    try {
      const aborted = new AbortController();
      aborted.abort();
      expect(await first(notifier.wait(60_000, aborted.signal))).to.equal('woke');
      // The LISTEN connection is opened by the first wait; notify until a waiter hears it (bounded).
      const live = new AbortController().signal;
      let heard = 'timed out';
      for (let i = 0; i < 20 && heard !== 'woke'; i++) {
        const waiting = notifier.wait(60_000, live);
        await pool.query(`notify il_test_news`);
        heard = await Promise.race([
          waiting.then(() => 'woke'),
          new Promise<string>((r) => setTimeout(() => r('timed out'), 250)),
        ]);
      }
      expect(heard).to.equal('woke');
    } finally {
      await notifier.close();
      await pool.end();
      await db.drop();
    }
  });
});
