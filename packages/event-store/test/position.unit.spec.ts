import { expect } from 'chai';
import { checkExpectedVersion, comparePositions, ConcurrencyError, formatPosition, isPosition, parsePosition, sameJson } from '../src/index.js';

describe('positions', () => {
  it('compare by commit, then prepare, as 64-bit numbers', () => {
    expect(comparePositions('1:9', '2:1')).to.equal(-1);
    expect(comparePositions('2:10', '2:9')).to.equal(1);
    expect(comparePositions('18446744073709551615:1', '18446744073709551614:2')).to.equal(1);
    expect(comparePositions(formatPosition(5n, 7), '5:7')).to.equal(0);
    expect(parsePosition('12:34')).to.deep.equal([12n, 34n]);
  });

  it('reject anything that is not a position', () => {
    expect(isPosition('1:2')).to.equal(true);
    for (const bad of ['', '1', '1:', '-1:2', '1:2:3', 'a:b', 12]) expect(isPosition(bad)).to.equal(false);
    expect(() => parsePosition('x')).to.throw(RangeError);
  });
});

describe('expected version rules', () => {
  const ok = (e: Parameters<typeof checkExpectedVersion>[1], current: number) => {
    try {
      checkExpectedVersion('s', e, current);
      return true;
    } catch (err) {
      expect(err).to.be.instanceOf(ConcurrencyError);
      return false;
    }
  };
  it('follow no-stream, exists, any and exact numbers', () => {
    expect([ok('no-stream', 0), ok('no-stream', 1), ok('exists', 0), ok('exists', 2), ok('any', 0), ok(3, 3), ok(3, 4), ok(0, 0)]).to.deep.equal([
      true, false, false, true, true, true, false, true,
    ]);
  });
});

describe('JSON equality for idempotent retries', () => {
  it('ignores key order but nothing else', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).to.equal(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).to.equal(false);
    expect(sameJson([1, 2], [2, 1])).to.equal(false);
    expect(sameJson({ a: null }, { a: 0 })).to.equal(false);
  });
});
