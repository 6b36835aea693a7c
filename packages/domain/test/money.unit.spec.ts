import { expect } from 'chai';
import fc from 'fast-check';
import { centsSchema, eurosToCents, formatCents, shareBasisPoints } from '../src/index.js';

describe('money in integer cents', () => {
  it('reads the SocQuality budget figures exactly as published', () => {
    expect(eurosToCents('791256.20')).to.equal(79_125_620);
    expect(eurosToCents('791 256,19')).to.equal(79_125_619);
    expect(eurosToCents('672576.74')).to.equal(67_257_674);
    expect(eurosToCents(91079.82)).to.equal(9_107_982);
    expect(eurosToCents('5')).to.equal(500);
    expect(eurosToCents('5.5')).to.equal(550);
  });

  it('refuses amounts that are not exact to the cent', () => {
    expect(() => eurosToCents(0.1 + 0.2)).to.throw(RangeError);
    expect(() => eurosToCents('1.005')).to.throw(RangeError);
    expect(() => eurosToCents('-1.00')).to.throw(RangeError);
    expect(() => eurosToCents(Number.NaN)).to.throw(RangeError);
    expect(() => eurosToCents('abc')).to.throw(RangeError);
  });

  it('round-trips any cent amount through its text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (c) => {
        expect(eurosToCents(formatCents(c))).to.equal(c);
      }),
    );
  });

  it('formats cents with two decimals', () => {
    expect(formatCents(79_125_620)).to.equal('791256.20');
    expect(formatCents(5)).to.equal('0.05');
    expect(formatCents(-150)).to.equal('-1.50');
  });

  it('accepts only non-negative safe integer cents in schemas', () => {
    expect(centsSchema.safeParse(125).success).to.equal(true);
    expect(centsSchema.safeParse(12.5).success).to.equal(false);
    expect(centsSchema.safeParse(-1).success).to.equal(false);
    expect(centsSchema.safeParse(2 ** 53).success).to.equal(false);
    expect(centsSchema.safeParse('125').success).to.equal(false);
  });

  it('computes the ERDF rate exactly in basis points', () => {
    expect(shareBasisPoints(67_256_774, 79_125_620)).to.equal(8500);
    expect(shareBasisPoints(7_741_800, 9_107_982)).to.equal(8500);
    expect(shareBasisPoints(1, 3)).to.equal(3333);
    expect(shareBasisPoints(2, 3)).to.equal(6667);
    expect(shareBasisPoints(5, 0)).to.equal(0);
  });
});
