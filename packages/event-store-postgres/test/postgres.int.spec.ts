import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describeEventStoreContract } from '@il/event-store/contract';
import { createPostgresEventStore, eventStoreMigrations, migrationsDone, runMigrations } from '../src/index.js';
import { createTestDatabase } from '../src/testing/index.js';

describeEventStoreContract('PostgreSQL', async () => {
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

describe('PostgreSQL schema migrations', () => {
  it('are versioned and idempotent, also when several processes start at once', async () => {
    const db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.connectionString });
    pool.on('error', () => undefined);
    try {
      const runs = await Promise.all([1, 2, 3].map(() => runMigrations(pool, 'event-store', eventStoreMigrations)));
      expect(runs.flat().sort()).to.deep.equal(eventStoreMigrations.map((m) => m.version)); // each applied once across the three runs
      expect(await runMigrations(pool, 'event-store', eventStoreMigrations)).to.deep.equal([]);
      expect(await migrationsDone(pool, 'event-store', eventStoreMigrations)).to.equal(true);
      const rows = await pool.query('select component, version, name from il_migrations order by version');
      expect(rows.rows).to.deep.equal([
        { component: 'event-store', version: 1, name: 'events and streams' },
        { component: 'event-store', version: 2, name: 'append in one round trip' },
        { component: 'event-store', version: 3, name: 'appends of many streams in one transaction' },
        { component: 'event-store', version: 4, name: 'appends that do not wait for a busy stream' },
      ]);
    } finally {
      await pool.end();
      await db.drop();
    }
  });

  it('reports migrations as not done on an empty database', async () => {
    const db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.connectionString });
    pool.on('error', () => undefined);
    try {
      expect(await migrationsDone(pool, 'event-store', eventStoreMigrations)).to.equal(false);
    } finally {
      await pool.end();
      await db.drop();
    }
  });
});

describe('PostgreSQL append announcements', () => {
  it('tells listeners once the append has committed, also a process that did not write', async () => {
    const db = await createTestDatabase();
    const store = await createPostgresEventStore({ connectionString: db.connectionString });
    const listener = new pg.Client({ connectionString: db.connectionString });
    listener.on('error', () => undefined);
    try {
      await listener.connect();
      await listener.query('listen il_events');
      const seen: number[] = [];
      // What a woken reader finds: the events must already be visible when the announcement arrives.
      const heard = new Promise<void>((resolve) => {
        listener.on('notification', () => {
          void store.readAll({ limit: 10 }).then((r) => {
            seen.push(r.events.length);
            resolve();
          });
        });
      });
      await store.appendToStream(
        'announced-1',
        [
          {
            eventId: randomUUID(),
            type: 'Something',
            schemaVersion: 1,
            data: {},
            metadata: { actor: 't', correlationId: 'c' },
            occurredAt: new Date(),
          },
        ],
        { expectedVersion: 'no-stream' },
      );
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no announcement within 5 s')), 5000),
      );
      await Promise.race([heard, timeout]);
      expect(seen[0]).to.equal(1);
    } finally {
      await listener.end();
      await store.close();
      await db.drop();
    }
  });
});
