import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { ConcurrencyError, EventTooLargeError, IdempotencyConflictError, InvalidAppendError } from '../port/errors.js';
import type { EventStore, StoredEvent } from '../port/eventStore.js';
import { maxEventBytes } from '../port/limits.js';
import { comparePositions, startPosition, type Position } from '../port/position.js';
import { newEvent } from './newEvent.js';

export interface StoreFixture {
  store: EventStore;
  /** Closes the store and removes what the fixture created. */
  dispose(): Promise<void>;
}

async function readEverything(store: EventStore, after: Position = startPosition): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let position = after;
  for (let i = 0; i < 10_000; i++) {
    const page = await store.readAll({ after: position, limit: 1000 });
    if (page.events.length === 0) return out;
    out.push(...page.events);
    position = page.position;
  }
  throw new Error('readAll did not come to an end');
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const stream = (prefix = 'project') => `${prefix}-${randomUUID()}`;

/**
 * The event-store port's contract. Every adapter runs exactly this suite; `makeStore` gives each test group a
 * store on an empty database (or an isolated namespace of one).
 */
export function describeEventStoreContract(
  name: string,
  makeStore: () => Promise<StoreFixture>,
  options: { skipReason?: string | undefined } = {},
): void {
  describe(`event store contract: ${name}${options.skipReason ? ` (skipped: ${options.skipReason})` : ''}`, function () {
    this.timeout(120_000);
    let fixture: StoreFixture;
    let store: EventStore;
    before(async function () {
      if (options.skipReason) this.skip();
      fixture = await makeStore();
      store = fixture.store;
    });
    after(async () => fixture?.dispose());

    async function expectNothingStored(
      s: string,
      work: () => Promise<unknown>,
      errorType: new (...a: never[]) => Error,
    ): Promise<void> {
      const before = await readEverything(store);
      let error: unknown;
      try {
        await work();
      } catch (e) {
        error = e;
      }
      expect(error, 'expected a typed error').to.be.instanceOf(errorType);
      expect((await readEverything(store)).length).to.equal(before.length);
      expect(await store.readStream(s)).to.have.length((await store.readStream(s)).length);
    }

    describe('appending and reading a stream', () => {
      it("numbers a new stream's events from 1 and returns them exactly as written", async () => {
        const s = stream();
        const events = [
          newEvent(),
          newEvent({
            type: 'StaffTrained',
            schemaVersion: 1,
            data: { trainees: 24, nested: { list: [1, 'two', null, true] } },
          }),
        ];
        const result = await store.appendToStream(s, events, { expectedVersion: 'no-stream' });
        expect(result.nextExpectedVersion).to.equal(2);
        expect(result.alreadyStored).to.equal(false);
        const read = await store.readStream(s);
        expect(read.map((e) => e.streamVersion)).to.deep.equal([1, 2]);
        read.forEach((e, i) => {
          const w = events[i]!;
          expect(e.eventId).to.equal(w.eventId);
          expect(e.streamId).to.equal(s);
          expect(e.type).to.equal(w.type);
          expect(e.schemaVersion).to.equal(w.schemaVersion);
          expect(e.data).to.deep.equal(w.data);
          expect(e.metadata).to.deep.include(w.metadata);
          expect(e.occurredAt.getTime()).to.equal(w.occurredAt.getTime());
          expect(Math.abs(e.recordedAt.getTime() - Date.now())).to.be.below(60_000);
          expect(e.globalPosition).to.be.a('number');
        });
        expect(comparePositions(read[0]!.position, read[1]!.position)).to.equal(-1);
        expect(result.position).to.equal(read[1]!.position);
        expect(result.events, 'the append returns the events as a read returns them').to.deep.equal(read);
        events[1]!.data['trainees'] = 0;
        expect(result.events[1]!.data['trainees'], "not the caller's objects").to.equal(24);
        expect(await store.streamVersion(s)).to.equal(2);
      });

      it('keeps instants to the millisecond: a leap day with an offset, before 1970, far ahead', async () => {
        const s = stream();
        const instants = [
          '2020-02-29T23:59:59.999+02:00',
          '1969-12-31T23:59:59.999Z',
          '1969-07-20T20:17:40.001Z',
          '2099-12-31T23:59:59.001Z',
        ].map((t) => new Date(t));
        await store.appendToStream(
          s,
          instants.map((occurredAt) => newEvent({ occurredAt })),
          { expectedVersion: 'no-stream' },
        );
        const read = await store.readStream(s);
        expect(read.map((e) => e.occurredAt.toISOString())).to.deep.equal(instants.map((t) => t.toISOString()));
        const recorded = read[0]!.recordedAt;
        expect(recorded).to.be.instanceOf(Date);
        expect(Number.isInteger(recorded.getTime()) && Math.abs(recorded.getTime() - Date.now()) < 60_000).to.equal(
          true,
        );
        const fromAll = (await readEverything(store)).filter((e) => e.streamId === s);
        expect(fromAll.map((e) => [e.occurredAt.getTime(), e.recordedAt.getTime()])).to.deep.equal(
          read.map((e) => [e.occurredAt.getTime(), e.recordedAt.getTime()]),
        );
      });

      it('returns an empty list and version 0 for a stream that does not exist', async () => {
        expect(await store.readStream(stream())).to.deep.equal([]);
        expect(await store.streamVersion(stream())).to.equal(0);
      });

      it('reads version ranges inclusively', async () => {
        const s = stream();
        await store.appendToStream(
          s,
          Array.from({ length: 10 }, () => newEvent()),
          { expectedVersion: 'no-stream' },
        );
        expect((await store.readStream(s, { from: 4, to: 6 })).map((e) => e.streamVersion)).to.deep.equal([4, 5, 6]);
        expect((await store.readStream(s, { from: 9 })).map((e) => e.streamVersion)).to.deep.equal([9, 10]);
        expect((await store.readStream(s, { to: 2 })).map((e) => e.streamVersion)).to.deep.equal([1, 2]);
        expect(await store.readStream(s, { from: 11 })).to.deep.equal([]);
      });

      it('keeps Latvian and Lithuanian diacritics and other unicode exactly', async () => {
        const s = stream();
        const data = {
          name: 'Viesīte novada pašvaldība',
          lt: 'Rokiškio jaunimo centras, Joniškis, Kretinga: ąčęėįšųūž ĄČĘĖĮŠŲŪŽ',
          lv: 'āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ',
          other: '€ 😀 日本',
        };
        await store.appendToStream(s, [newEvent({ data })], { expectedVersion: 'any' });
        expect((await store.readStream(s))[0]!.data).to.deep.equal(data);
      });

      it('stores an event just under the size limit and refuses one over it', async () => {
        const s = stream();
        const big = 'x'.repeat(maxEventBytes - 2_000);
        await store.appendToStream(s, [newEvent({ data: { big } })], { expectedVersion: 'no-stream' });
        expect((await store.readStream(s))[0]!.data['big']).to.have.length(big.length);
        await expectNothingStored(
          s,
          () =>
            store.appendToStream(s, [newEvent({ data: { big: big + 'y'.repeat(3_000) } })], { expectedVersion: 'any' }),
          EventTooLargeError,
        );
      });

      it('holds a 10,000-event stream in order', async () => {
        const s = stream('big');
        for (let b = 0; b < 10; b++) {
          await store.appendToStream(
            s,
            Array.from({ length: 1000 }, (_, i) => newEvent({ data: { n: b * 1000 + i } })),
            { expectedVersion: b * 1000 },
          );
        }
        const all = await store.readStream(s);
        expect(all).to.have.length(10_000);
        expect(all.every((e, i) => e.streamVersion === i + 1 && e.data['n'] === i)).to.equal(true);
        expect((await store.readStream(s, { from: 9_998 })).map((e) => e.data['n'])).to.deep.equal([
          9_997, 9_998, 9_999,
        ]);
      });
    });

    describe('expected versions', () => {
      it('accepts the exact current version and rejects any other with the actual version', async () => {
        const s = stream();
        await store.appendToStream(s, [newEvent(), newEvent()], { expectedVersion: 'no-stream' });
        await store.appendToStream(s, [newEvent()], { expectedVersion: 2 });
        try {
          await store.appendToStream(s, [newEvent()], { expectedVersion: 2 });
          expect.fail('expected a ConcurrencyError');
        } catch (e) {
          expect(e).to.be.instanceOf(ConcurrencyError);
          expect((e as ConcurrencyError).actualVersion).to.equal(3);
        }
        expect(await store.streamVersion(s)).to.equal(3);
      });

      it('applies no-stream, exists and any', async () => {
        const s = stream();
        await expectNothingStored(
          s,
          () => store.appendToStream(s, [newEvent()], { expectedVersion: 'exists' }),
          ConcurrencyError,
        );
        await store.appendToStream(s, [newEvent()], { expectedVersion: 'no-stream' });
        await expectNothingStored(
          s,
          () => store.appendToStream(s, [newEvent()], { expectedVersion: 'no-stream' }),
          ConcurrencyError,
        );
        await store.appendToStream(s, [newEvent()], { expectedVersion: 'exists' });
        await store.appendToStream(s, [newEvent()], { expectedVersion: 'any' });
        await store.appendToStream(stream(), [newEvent()], { expectedVersion: 'any' });
        await expectNothingStored(
          s,
          () => store.appendToStream(s, [newEvent()], { expectedVersion: 0 }),
          ConcurrencyError,
        );
        expect(await store.streamVersion(s)).to.equal(3);
      });

      it('lets exactly one of many concurrent writers at the same version win', async () => {
        const s = stream();
        await store.appendToStream(s, [newEvent()], { expectedVersion: 'no-stream' });
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.appendToStream(s, [newEvent()], { expectedVersion: 1 })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).to.be.instanceOf(ConcurrencyError);
        expect(await store.streamVersion(s)).to.equal(2);
      });
    });

    describe('idempotent appends', () => {
      it('treats a retry with the same event ids and content as a success that stores nothing', async () => {
        const s = stream();
        const events = [newEvent(), newEvent()];
        const first = await store.appendToStream(s, events, { expectedVersion: 'no-stream' });
        await store.appendToStream(s, [newEvent()], { expectedVersion: 2 });
        const retry = await store.appendToStream(s, events, { expectedVersion: 'no-stream' });
        expect(retry.alreadyStored).to.equal(true);
        expect(retry.position).to.equal(first.position);
        expect(retry.events.map((e) => e.eventId)).to.deep.equal(events.map((e) => e.eventId));
        expect(await store.readStream(s)).to.have.length(3);
      });

      it('refuses an event id reused with different content and stores nothing', async () => {
        const s = stream();
        const e = newEvent();
        await store.appendToStream(s, [e], { expectedVersion: 'no-stream' });
        await expectNothingStored(
          s,
          () => store.appendToStream(s, [{ ...e, data: { other: true } }], { expectedVersion: 'any' }),
          IdempotencyConflictError,
        );
        await expectNothingStored(
          s,
          () => store.appendToStream(s, [e, newEvent()], { expectedVersion: 'any' }),
          IdempotencyConflictError,
        );
      });
    });

    describe('bad input', () => {
      const bad: [string, () => unknown][] = [
        ['an empty stream id', () => store.appendToStream('', [newEvent()], { expectedVersion: 'any' })],
        [
          'a stream id with spaces',
          () => store.appendToStream('project LLI 317', [newEvent()], { expectedVersion: 'any' }),
        ],
        ['a system-looking stream id', () => store.appendToStream('$all', [newEvent()], { expectedVersion: 'any' })],
        [
          'a 201-character stream id',
          () => store.appendToStream('p'.repeat(201), [newEvent()], { expectedVersion: 'any' }),
        ],
        ['an empty batch', () => store.appendToStream(stream(), [], { expectedVersion: 'any' })],
        [
          'a non-UUID event id',
          () => store.appendToStream(stream(), [newEvent({ eventId: 'camp-1' })], { expectedVersion: 'any' }),
        ],
        [
          'one event id twice in a batch',
          () => {
            const e = newEvent();
            return store.appendToStream(stream(), [e, e], { expectedVersion: 'any' });
          },
        ],
        ['a BigInt', () => store.appendToStream(stream(), [newEvent({ data: { n: 1n } })], { expectedVersion: 'any' })],
        [
          'a cycle',
          () => {
            const data: Record<string, unknown> = {};
            data['self'] = data;
            return store.appendToStream(stream(), [newEvent({ data })], { expectedVersion: 'any' });
          },
        ],
        [
          'a function',
          () => store.appendToStream(stream(), [newEvent({ data: { f: () => 1 } })], { expectedVersion: 'any' }),
        ],
        [
          'NaN',
          () => store.appendToStream(stream(), [newEvent({ data: { n: Number.NaN } })], { expectedVersion: 'any' }),
        ],
        [
          'a Date object',
          () => store.appendToStream(stream(), [newEvent({ data: { d: new Date() } })], { expectedVersion: 'any' }),
        ],
        [
          'undefined inside an array',
          () => store.appendToStream(stream(), [newEvent({ data: { a: [undefined] } })], { expectedVersion: 'any' }),
        ],
        [
          'a NUL character',
          () => store.appendToStream(stream(), [newEvent({ data: { s: 'a\u0000b' } })], { expectedVersion: 'any' }),
        ],
        [
          'a lone surrogate',
          () => store.appendToStream(stream(), [newEvent({ data: { s: '\ud800' } })], { expectedVersion: 'any' }),
        ],
        [
          'data that is an array',
          () => store.appendToStream(stream(), [newEvent({ data: [] as never })], { expectedVersion: 'any' }),
        ],
        [
          'missing actor',
          () =>
            store.appendToStream(stream(), [newEvent({ metadata: { actor: '', correlationId: 'c' } })], {
              expectedVersion: 'any',
            }),
        ],
        [
          'an invalid occurredAt',
          () =>
            store.appendToStream(stream(), [newEvent({ occurredAt: new Date('nope') })], { expectedVersion: 'any' }),
        ],
        ['a negative expected version', () => store.appendToStream(stream(), [newEvent()], { expectedVersion: -1 })],
      ];
      for (const [what, work] of bad) {
        it(`refuses ${what} with a typed error and stores nothing`, async () => {
          const before = (await readEverything(store)).length;
          let error: unknown;
          try {
            await work();
          } catch (e) {
            error = e;
          }
          expect(error).to.be.instanceOf(InvalidAppendError);
          expect((await readEverything(store)).length).to.equal(before);
        });
      }
    });

    describe('global order', () => {
      it("pages through all events once, in an order that keeps every stream's versions ascending", async () => {
        const streams = [stream(), stream(), stream()];
        for (let i = 0; i < 30; i++)
          await store.appendToStream(streams[i % 3]!, [newEvent({ data: { i } })], { expectedVersion: 'any' });
        const all = await readEverything(store);
        const ids = all.map((e) => e.eventId);
        expect(new Set(ids).size).to.equal(ids.length);
        for (let i = 1; i < all.length; i++)
          expect(comparePositions(all[i - 1]!.position, all[i]!.position)).to.equal(-1);
        for (const s of streams) {
          const versions = all.filter((e) => e.streamId === s).map((e) => e.streamVersion);
          expect(versions).to.deep.equal(Array.from({ length: 10 }, (_, i) => i + 1));
        }
        const small: StoredEvent[] = [];
        let position = startPosition;
        for (;;) {
          const page = await store.readAll({ after: position, limit: 7 });
          if (page.events.length === 0) break;
          small.push(...page.events);
          position = page.position;
        }
        expect(small.map((e) => e.eventId)).to.deep.equal(ids);
      });

      it('reads every event up to a position stream by stream, in pages, when the adapter can (readByStream)', async function () {
        if (!store.readByStream) this.skip(); // optional: a rebuild then folds in global order
        const streams = [stream(), stream(), stream()];
        for (let i = 0; i < 30; i++)
          await store.appendToStream(streams[i % 3]!, [newEvent({ data: { i } })], { expectedVersion: 'any' });
        const head = await store.headPosition();
        // Appended after the head: not part of the read.
        await store.appendToStream(streams[0]!, [newEvent({ data: { late: true } })], { expectedVersion: 'any' });
        const upToHead = (await readEverything(store)).filter((e) => comparePositions(e.position, head.position) <= 0);
        const read: StoredEvent[] = [];
        let after = null as Parameters<NonNullable<EventStore['readByStream']>>[0]['after'];
        // Small pages, so that pages end inside streams (other tests' events may share the store).
        const limit = Math.max(4, Math.ceil(upToHead.length / 200));
        for (let i = 0; i < 1000; i++) {
          const page = await store.readByStream({ upTo: head.position, after, limit });
          read.push(...page.events);
          if (!page.next) break;
          after = page.next;
        }
        expect(read.map((e) => e.eventId).sort()).to.deep.equal(upToHead.map((e) => e.eventId).sort());
        // One stream after another, each in version order, and no stream twice.
        const order = read.map((e) => e.streamId).filter((s, i, all) => i === 0 || all[i - 1] !== s);
        expect(new Set(order).size).to.equal(order.length);
        for (let i = 1; i < read.length; i++)
          if (read[i]!.streamId === read[i - 1]!.streamId)
            expect(read[i]!.streamVersion).to.equal(read[i - 1]!.streamVersion + 1);
        for (const s of streams) expect(read.filter((e) => e.streamId === s)).to.have.length(10);
      });

      it('reports the head position', async () => {
        const r = await store.appendToStream(stream(), [newEvent()], { expectedVersion: 'any' });
        const head = await store.headPosition();
        expect(comparePositions(head.position, r.position)).to.be.at.least(0);
        expect(head.recordedAt).to.be.instanceOf(Date);
      });
    });

    describe('subscriptions', () => {
      it('catches up, goes live, and resumes after its checkpoint without repeats', async () => {
        const s = stream('sub');
        await store.appendToStream(s, [newEvent(), newEvent()], { expectedVersion: 'no-stream' });
        const head = (await readEverything(store)).length;
        const seen: StoredEvent[] = [];
        let checkpoint: Position = startPosition;
        const sub = store.subscribe({
          batchSize: 50,
          handler: async (events, position) => {
            seen.push(...events);
            checkpoint = position;
          },
        });
        await until(() => seen.length === head);
        await store.appendToStream(s, [newEvent()], { expectedVersion: 2 });
        await until(() => seen.length === head + 1);
        await sub.stop();

        await store.appendToStream(s, [newEvent(), newEvent()], { expectedVersion: 3 });
        const resumed: StoredEvent[] = [];
        const sub2 = store.subscribe({
          after: checkpoint,
          handler: async (events) => {
            resumed.push(...events);
          },
        });
        await until(() => resumed.length === 2);
        await new Promise((r) => setTimeout(r, 200));
        await sub2.stop();
        expect(resumed.map((e) => e.streamVersion)).to.deep.equal([4, 5]);
        expect(new Set([...seen, ...resumed].map((e) => e.eventId)).size).to.equal(head + 3);
      });

      it("ends with the handler's error instead of skipping a batch", async () => {
        await store.appendToStream(stream(), [newEvent()], { expectedVersion: 'any' });
        const sub = store.subscribe({
          handler: async () => {
            throw new Error('projection failed');
          },
        });
        let error: unknown;
        await sub.done.catch((e) => {
          error = e;
        });
        expect((error as Error).message).to.equal('projection failed');
      });
    });
  });
}
