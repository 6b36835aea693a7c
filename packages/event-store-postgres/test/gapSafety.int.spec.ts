import type pg from 'pg';
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { newEvent } from '@il/event-store/contract';
import { startPosition, validateAppend, type EventStore, type StoredEvent } from '@il/event-store';
import { appendInTransaction, createPostgresEventStore } from '../src/index.js';
import { createTestDatabase } from '../src/testing/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL global order is gap-safe', function () {
  this.timeout(300_000);
  let store: EventStore & { pool: pg.Pool };
  let drop: () => Promise<void>;

  before(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    store = await createPostgresEventStore({ connectionString: db.connectionString, poolSize: 20 });
  });
  after(async () => {
    await store?.close();
    await drop?.();
  });

  /** An append whose commit waits `delayMs` (or that rolls back), so later appends can commit first. */
  async function slowAppend(streamId: string, count: number, delayMs: number, rollback: boolean): Promise<string[]> {
    const batch = validateAppend(
      streamId,
      Array.from({ length: count }, () => newEvent()),
      'any',
    );
    const client = await store.pool.connect();
    try {
      await client.query('begin');
      await appendInTransaction(client, streamId, batch, 'any');
      await sleep(delayMs);
      await client.query(rollback ? 'rollback' : 'commit');
      return rollback ? [] : batch.map((b) => b.event.eventId);
    } finally {
      client.release();
    }
  }

  it('hides a later-numbered commit until the earlier transaction ends', async () => {
    const before = await store.readAll({ after: startPosition, limit: 10_000 });
    const client = await store.pool.connect();
    try {
      await client.query('begin');
      const first = validateAppend('gap-first', [newEvent()], 'any');
      await appendInTransaction(client, 'gap-first', first, 'any');
      const second = await store.appendToStream('gap-second', [newEvent()], { expectedVersion: 'any' });
      expect(second.globalPosition).to.be.above(0);
      const meanwhile = await store.readAll({ after: before.position, limit: 100 });
      expect(meanwhile.events.map((e) => e.streamId)).to.deep.equal([]);
      await client.query('commit');
    } finally {
      client.release();
    }
    const after = await store.readAll({ after: before.position, limit: 100 });
    expect(after.events.map((e) => e.streamId)).to.deep.equal(['gap-first', 'gap-second']);
  });

  for (let round = 1; round <= 20; round++) {
    it(`delivers exactly the committed set, in order, to a live subscriber (round ${round} of 20)`, async () => {
      const head = await store.headPosition();
      const seen: StoredEvent[] = [];
      const sub = store.subscribe({
        after: head.position,
        batchSize: 37,
        handler: async (events) => {
          seen.push(...events);
        },
      });
      const committed: string[] = [];
      const streams = Array.from({ length: 4 }, () => `gap-${randomUUID()}`);
      await Promise.all(
        Array.from({ length: 8 }, async (_, worker) => {
          for (let i = 0; i < 6; i++) {
            const ids = await slowAppend(
              streams[(worker + i) % streams.length]!,
              1 + ((worker * 7 + i) % 3),
              Math.floor(Math.random() * 25),
              Math.random() < 0.15,
            );
            committed.push(...ids);
          }
        }),
      );
      const deadline = Date.now() + 20_000;
      while (seen.length < committed.length && Date.now() < deadline) await sleep(20);
      await sleep(100);
      await sub.stop();

      const reference = (await store.readAll({ after: head.position, limit: 10_000 })).events;
      expect(
        seen.map((e) => e.eventId),
        'subscriber sequence equals a fresh read of the global order',
      ).to.deep.equal(reference.map((e) => e.eventId));
      expect(new Set(seen.map((e) => e.eventId)), 'no duplicates, nothing missing').to.deep.equal(new Set(committed));
      expect(seen).to.have.length(committed.length);
      for (const s of streams) {
        const versions = seen.filter((e) => e.streamId === s).map((e) => e.streamVersion);
        expect(versions).to.deep.equal(versions.map((_, i) => i + 1));
      }
    });
  }
});
