import { expect } from 'chai';
import {
  catchUpSubscription,
  formatPosition,
  parsePosition,
  startPosition,
  type Position,
  type ReadAllResult,
  type StoredEvent,
} from '../src/index.js';
import { newEvent } from '../src/contract/index.js';

/** An in-memory global log that a writer keeps adding to; each read is timed, and the wait for news is short. */
function growingLog() {
  const events: StoredEvent[] = [];
  const reads: { at: number; count: number }[] = [];
  const add = (n: number) => {
    for (let i = 0; i < n; i++) {
      const g = events.length + 1;
      events.push({
        ...newEvent(),
        streamId: 's',
        streamVersion: g,
        globalPosition: g,
        position: formatPosition('1', String(g)),
        recordedAt: new Date(),
      });
    }
  };
  const source = {
    async readAll({ after, limit }: { after: Position; limit: number }): Promise<ReadAllResult> {
      const from = Number(parsePosition(after)[1]);
      const page = events.slice(from, from + limit);
      reads.push({ at: Date.now(), count: page.length });
      return { events: page, position: page.length > 0 ? page[page.length - 1]!.position : after };
    },
    waitForNews: (ms: number, signal: AbortSignal) =>
      new Promise<void>((r) => {
        const done = () => {
          clearTimeout(t);
          signal.removeEventListener('abort', done);
          r();
        };
        const t = setTimeout(done, Math.min(ms, 5));
        signal.addEventListener('abort', done, { once: true });
      }),
  };
  return { events, reads, add, source };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("catch-up subscription: gathering a busy store's events", () => {
  it('waits after a page of at least minEvents, and hands the events over in fewer, larger batches', async () => {
    const log = growingLog();
    const batches: number[] = [];
    const sub = catchUpSubscription(log.source, {
      after: startPosition,
      batchSize: 1000,
      gather: { ms: 60, minEvents: 10 },
      handler: async (e) => {
        batches.push(e.length);
      },
    });
    // 30 events every 10 ms: without gathering, pages of ~30; with it, a read every ~60 ms of ~180 events.
    for (let i = 0; i < 30; i++) {
      log.add(30);
      await sleep(10);
    }
    await sleep(100);
    await sub.stop();
    expect(batches.reduce((a, b) => a + b, 0)).to.equal(900);
    const busyReads = log.reads.filter((r) => r.count >= 10);
    for (let i = 1; i < busyReads.length; i++) expect(busyReads[i]!.at - busyReads[i - 1]!.at).to.be.at.least(55);
    expect(batches.length).to.be.below(30); // fewer batches than writes
  });

  it('reads again at once after a small page (one write at a time is not delayed)', async () => {
    const log = growingLog();
    let handed = 0;
    const sub = catchUpSubscription(log.source, {
      after: startPosition,
      gather: { ms: 5000, minEvents: 10 },
      handler: async (e) => {
        handed += e.length;
      },
    });
    try {
      for (let i = 1; i <= 5; i++) {
        log.add(1);
        // Well under the 5 s a wrongly applied gather would take.
        for (let tries = 0; handed < i && tries < 200; tries++) await sleep(5);
        expect(handed).to.equal(i);
      }
    } finally {
      await sub.stop();
    }
  });

  it('stops at once while it waits', async () => {
    const log = growingLog();
    log.add(50);
    const sub = catchUpSubscription(log.source, {
      after: startPosition,
      gather: { ms: 10_000, minEvents: 10 },
      handler: async () => undefined,
    });
    await sleep(30);
    const t = Date.now();
    await sub.stop();
    expect(Date.now() - t).to.be.below(5000);
  });
});
