import { expect } from 'chai';
import { createAnswerCache } from '../src/index.js';

describe('answer cache', () => {
  const counting = () => {
    let calls = 0;
    return { compute: (value: string) => async () => (calls++, value), calls: () => calls };
  };

  it('reuses an answer only at the version it was computed from', async () => {
    const cache = createAnswerCache<string>(4);
    const c = counting();
    expect(await cache.get('q', 'v1', c.compute('a'))).to.equal('a');
    expect(await cache.get('q', 'v1', c.compute('not used'))).to.equal('a');
    expect(await cache.get('q', 'v2', c.compute('b'))).to.equal('b');
    // An older version is a different question too: nothing is assumed about how versions are ordered.
    expect(await cache.get('q', 'v1', c.compute('c'))).to.equal('c');
    expect(c.calls()).to.equal(3);
    expect(cache.stats()).to.deep.equal({ hits: 1, shared: 0, misses: 3, size: 1 });
  });

  it('shares one computation between concurrent callers of a key and version', async () => {
    const cache = createAnswerCache<number>(4);
    let release!: (n: number) => void;
    let calls = 0;
    const slow = () => (calls++, new Promise<number>((r) => (release = r)));
    const waiting = [cache.get('q', 'v1', slow), cache.get('q', 'v1', slow), cache.get('q', 'v1', slow)];
    const other = cache.get('q', 'v2', async () => 7);
    release(42);
    expect(await Promise.all(waiting)).to.deep.equal([42, 42, 42]);
    expect(await other).to.equal(7);
    expect(calls).to.equal(1);
    expect(cache.stats().shared).to.equal(2);
  });

  it('keeps nothing from a failed computation, and every caller sharing it sees the error', async () => {
    const cache = createAnswerCache<string>(4);
    const failing = async (): Promise<string> => {
      throw new Error('database down');
    };
    const both = await Promise.allSettled([cache.get('q', 'v1', failing), cache.get('q', 'v1', failing)]);
    expect(both.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
    expect(await cache.get('q', 'v1', async () => 'recovered')).to.equal('recovered');
  });

  it('drops the least recently used answer beyond its capacity', async () => {
    const cache = createAnswerCache<string>(2);
    const c = counting();
    await cache.get('a', 'v', c.compute('a'));
    await cache.get('b', 'v', c.compute('b'));
    await cache.get('a', 'v', c.compute('a'));
    await cache.get('c', 'v', c.compute('c'));
    expect(c.calls()).to.equal(3);
    await cache.get('a', 'v', c.compute('a'));
    expect(c.calls(), 'a was used recently and stays').to.equal(3);
    await cache.get('b', 'v', c.compute('b'));
    expect(c.calls(), 'b was the least recently used and went').to.equal(4);
    expect(cache.stats().size).to.equal(2);
    expect(() => createAnswerCache(0)).to.throw(RangeError);
  });
});
