import { expect } from 'chai';
import { comparePositions, formatPosition, isPosition, parsePosition } from '../src/index.js';

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
