import { expect } from 'chai';
import pg from 'pg';
import { newEvent } from '@il/event-store/contract';
import {
  ConcurrencyError,
  IdempotencyConflictError,
  StoreUnavailableError,
  parsePosition,
  validateAppend,
  type AppendResult,
} from '@il/event-store';
import { createPostgresEventStore, freePort } from '../src/index.js';
import { createAppendBatcher } from '../src/postgres/appendBatcher.js';
import { createTestDatabase } from '../src/testing/index.js';

const commitOf = (r: AppendResult) => parsePosition(r.position)[0];

describe('PostgreSQL group commit (append batcher)', function () {
  this.timeout(120_000);
  let pool: pg.Pool;
  let drop: () => Promise<void>;

  before(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    // The store migrates the schema the batcher writes to.
    await (await createPostgresEventStore({ connectionString: db.connectionString })).close();
    pool = new pg.Pool({ connectionString: db.connectionString, max: 4 });
    pool.on('error', () => undefined);
  });
  after(async () => {
    await pool?.end();
    await drop?.();
  });

  const request = (streamId: string, count = 1, expectedVersion: 'any' | 'no-stream' | number = 'any') => ({
    streamId,
    batch: validateAppend(
      streamId,
      Array.from({ length: count }, () => newEvent()),
      expectedVersion,
    ),
    expectedVersion,
  });

  describe('a stream held by another transaction', () => {
    // Holds the stream's append lock as another process mid-append (or a caller's open transaction) would.
    async function holding(streamId: string): Promise<{ release(): Promise<void> }> {
      const client = new pg.Client({
        connectionString: (pool as unknown as { options: { connectionString: string } }).options.connectionString,
      });
      client.on('error', () => undefined);
      await client.connect();
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [streamId]);
      return {
        async release() {
          await client.query('commit');
          await client.end();
        },
      };
    }
    const settledWithin = <T>(p: Promise<T>, ms: number) =>
      Promise.race([p.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), ms))]);

    it('does not hold back appends to other streams, in the same batch or after it', async () => {
      const batcher = createAppendBatcher(pool, { maxInFlight: 1 });
      const lock = await holding('hol-held');
      try {
        const held = batcher.append(request('hol-held'));
        const others = Array.from({ length: 20 }, (_, i) => batcher.append(request(`hol-free-${i}`)));
        // Bounded wait: before the change these waited for the lock (as long as it was held).
        expect(
          await settledWithin(Promise.all(others), 10_000),
          'appends to free streams finished while the other stream was held',
        ).to.equal(true);
        expect(await settledWithin(held, 200), 'the held stream waits for its lock').to.equal(false);
        const later = await Promise.all(Array.from({ length: 5 }, (_, i) => batcher.append(request(`hol-later-${i}`))));
        expect(later.map((r) => r.nextExpectedVersion)).to.deep.equal([1, 1, 1, 1, 1]);
        await lock.release();
        expect((await held).nextExpectedVersion).to.equal(1);
      } finally {
        await lock.release().catch(() => undefined);
      }
    });

    it("writes a busy stream's appends once each and in order when its lock is free", async () => {
      const batcher = createAppendBatcher(pool, { maxInFlight: 1 });
      const lock = await holding('hol-order');
      const appends = [1, 2, 3, 4].map((v) =>
        batcher.append(request('hol-order', 1, v - 1 === 0 ? 'no-stream' : v - 1)),
      );
      await new Promise((r) => setTimeout(r, 100));
      await lock.release();
      expect((await Promise.all(appends)).map((r) => r.nextExpectedVersion)).to.deep.equal([1, 2, 3, 4]);
      const { rows } = await pool.query<{ n: number }>(
        `select count(*)::int as n from il_events where stream_id = 'hol-order'`,
      );
      expect(rows[0]!.n).to.equal(4);
    });
  });

  it('writes the appends that queue behind a running batch as one transaction, each with its own result', async () => {
    const batcher = createAppendBatcher(pool, { maxInFlight: 1 });
    const first = batcher.append(request('gc-0'));
    const queued = [1, 2, 3, 4, 5].map((i) => batcher.append(request(`gc-${i}`, i)));
    const [alone, ...together] = await Promise.all([first, ...queued]);
    expect(together.map((r) => r.events.length)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(together.map((r) => r.nextExpectedVersion)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(new Set(together.map(commitOf)).size).to.equal(1);
    expect(commitOf(together[0]!)).to.not.equal(commitOf(alone));
    for (const [i, r] of together.entries()) {
      const stored = await pool.query('select count(*)::int as n from il_events where stream_id = $1', [`gc-${i + 1}`]);
      expect(stored.rows[0].n).to.equal(r.events.length);
    }
  });

  it('keeps batches within their limits of appends, events and characters', async () => {
    const batcher = createAppendBatcher(pool, {
      maxInFlight: 1,
      maxAppends: 3,
      maxEvents: 5,
      maxChars: 4000,
      aloneFrom: 100,
    });
    const blocker = batcher.append(request('lim-0'));
    const big = request('lim-big', 2);
    big.batch = big.batch.map((b) => ({ ...b, data: JSON.stringify({ text: 'x'.repeat(1500) }) }));
    const results = await Promise.all([
      blocker,
      ...['lim-1', 'lim-2', 'lim-3', 'lim-4'].map((s) => batcher.append(request(s))), // 3 appends, then a new batch
      batcher.append(request('lim-5', 4)), // 1 + 4 events: fits with lim-4
      batcher.append(request('lim-6', 6)), // more events than a batch holds: alone
      batcher.append(big), // ~3,000 characters
      batcher.append(request('lim-7')), // with big, still under 4,000
      batcher.append({
        ...big,
        streamId: 'lim-big-2',
        batch: validateAppend(
          'lim-big-2',
          [
            { ...big.batch[0]!.event, data: { text: 'y'.repeat(1500) } },
            { ...big.batch[1]!.event, data: { text: 'y'.repeat(1500) } },
          ],
          'any',
        ),
      }),
    ]);
    const batches = results.slice(1).map(commitOf);
    const groups = batches.map((c) => batches.indexOf(c));
    expect(groups).to.deep.equal([0, 0, 0, 3, 3, 5, 6, 6, 8]);
  });

  it('writes a large append at once in its own transaction, beside a running batch', async () => {
    const batcher = createAppendBatcher(pool, { maxInFlight: 1, aloneFrom: 10 });
    const blocker = batcher.append(request('alone-0'));
    const small = batcher.append(request('alone-1'));
    const large = batcher.append(request('alone-2', 10));
    const small2 = batcher.append(request('alone-3'));
    const [b, s1, l, s2] = await Promise.all([blocker, small, large, small2]);
    expect(commitOf(s1)).to.equal(commitOf(s2));
    expect([commitOf(b), commitOf(s1)]).to.not.include(commitOf(l));
    expect(l.events).to.have.length(10);
  });

  it('fails only the conflicting append of a batch, and writes the rest', async () => {
    const batcher = createAppendBatcher(pool, { maxInFlight: 1 });
    await batcher.append(request('gc-conflict', 2));
    const reused = request('gc-reuse');
    await batcher.append(reused);
    const changed = {
      ...reused,
      batch: validateAppend('gc-reuse', [{ ...reused.batch[0]!.event, data: { other: true } }], 'any'),
    };
    const blocker = batcher.append(request('gc-blocker'));
    const results = await Promise.allSettled([
      blocker,
      batcher.append(request('gc-ok-1')),
      batcher.append(request('gc-conflict', 1, 5)),
      batcher.append(changed),
      batcher.append(reused),
      batcher.append(request('gc-conflict', 1, 2)),
      batcher.append(request('gc-ok-2', 1, 'no-stream')),
    ]);
    const [, ok1, conflict, reuse, retry, next, ok2] = results;
    expect(ok1.status).to.equal('fulfilled');
    expect(ok2.status).to.equal('fulfilled');
    expect(conflict.status === 'rejected' && conflict.reason)
      .to.be.instanceOf(ConcurrencyError)
      .and.include({ actualVersion: 2 });
    expect(reuse.status === 'rejected' && reuse.reason).to.be.instanceOf(IdempotencyConflictError);
    expect(retry.status === 'fulfilled' && retry.value.alreadyStored).to.equal(true);
    // The same stream twice in one batch: the second append sees the first one's events.
    expect(next.status === 'fulfilled' && next.value.nextExpectedVersion).to.equal(3);
    const versions = await pool.query(
      `select stream_id, version::int from il_streams where stream_id like 'gc-%' order by stream_id`,
    );
    expect(Object.fromEntries(versions.rows.map((r) => [r.stream_id, r.version]))).to.include({
      'gc-conflict': 3,
      'gc-reuse': 1,
      'gc-ok-1': 1,
      'gc-ok-2': 1,
    });
  });

  it('retries a batch that failed as a whole one append at a time, so only the culprit fails', async () => {
    const batcher = createAppendBatcher(pool, { maxInFlight: 1 });
    const blocker = batcher.append(request('gc-whole-0'));
    // Not JSON: the database refuses the statement, which would take every append of its batch with it.
    const broken = request('gc-broken');
    broken.batch = [{ ...broken.batch[0]!, data: '{not json' }];
    const results = await Promise.allSettled([
      blocker,
      batcher.append(request('gc-whole-1')),
      batcher.append(broken),
      batcher.append(request('gc-whole-2')),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const stored = await pool.query(
      `select stream_id from il_events where stream_id in ('gc-whole-1', 'gc-whole-2', 'gc-broken') order by stream_id`,
    );
    expect(stored.rows.map((r) => r.stream_id)).to.deep.equal(['gc-whole-1', 'gc-whole-2']);
  });

  it('fails every append of a batch at once when the database cannot be reached', async () => {
    const nowhere = new pg.Pool({ connectionString: `postgres://x:y@127.0.0.1:${await freePort()}/postgres`, max: 1 });
    nowhere.on('error', () => undefined);
    try {
      const batcher = createAppendBatcher(nowhere, { maxInFlight: 1 });
      const results = await Promise.allSettled([1, 2, 3].map((i) => batcher.append(request(`gc-down-${i}`))));
      for (const r of results) expect(r.status === 'rejected' && r.reason).to.be.instanceOf(StoreUnavailableError);
    } finally {
      await nowhere.end();
    }
  });
});
