import { expect } from 'chai';
import { pause } from '../src/index.js';

// Each wait below is 60 s; the race's 2 s "timed out" only says which of the two came first.
const first = (wait: Promise<void>) =>
  Promise.race([wait.then(() => 'woke'), new Promise((r) => setTimeout(() => r('timed out'), 2000))]);

describe('pause: a wait that ends early', () => {
  it('returns at once when its signal has already been aborted, and on an abort meanwhile', async () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(await first(pause(60_000, aborted.signal))).to.equal('woke');
    const later = new AbortController();
    setTimeout(() => later.abort(), 10);
    expect(await first(pause(60_000, later.signal))).to.equal('woke');
  });

  it('wakes when a waker is called, and leaves no waker or listener behind', async () => {
    const wakers = new Set<() => void>();
    const signal = new AbortController().signal;
    const waiting = pause(60_000, signal, wakers);
    expect(wakers.size).to.equal(1);
    for (const w of [...wakers]) w();
    expect(await first(waiting)).to.equal('woke');
    expect(wakers.size).to.equal(0);
    const aborted = new AbortController();
    const other = pause(60_000, aborted.signal, wakers);
    aborted.abort();
    await other;
    expect(wakers.size, 'an aborted wait takes its waker away').to.equal(0);
  });
});
