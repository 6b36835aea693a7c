import { expect } from 'chai';
import type { Aggregation } from '@il/domain';
import { addDecimal, createPartTotals, type PartRow } from '../src/index.js';

/** A small seeded generator (mulberry32): the same cases on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the totals must equal: every current part folded from scratch, in exact decimals (scaled BigInts). */
function fromScratch(parts: Map<string, PartRow[]>, indicator: string) {
  const scale = 1000n;
  const toInt = (x: string) => BigInt(Math.round(Number(x) * 1000));
  const groups = new Map<string, { value: bigint | null; cumulative: bigint | null }>();
  for (const rows of parts.values()) {
    for (const r of rows.filter((x) => x.indicator === indicator)) {
      const t = groups.get(r.g) ?? { value: null, cumulative: null };
      const fold = (a: bigint | null, b: string | null) =>
        b === null ? a : a === null ? toInt(b) : r.aggregation === 'max' ? (toInt(b) > a ? toInt(b) : a) : a + toInt(b);
      groups.set(r.g, { value: fold(t.value, r.value), cumulative: fold(t.cumulative, r.cumulative) });
    }
  }
  const text = (v: bigint | null) => (v === null ? null : Number(v) / Number(scale));
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([group, t]) => ({ group, value: text(t.value), cumulative: text(t.cumulative) }));
}

describe('part totals: figures added up over parts replaced one at a time', () => {
  const indicators: [string, Aggregation][] = [
    ['S', 'sum'],
    ['C', 'count'],
    ['D', 'count-distinct'],
    ['L', 'latest'],
    ['M', 'max'],
  ];

  it('equal a fold from scratch after every replacement and removal (seeded random parts)', () => {
    const next = random(20200229);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
    const decimal = () => (next() < 0.2 ? null : (Math.round((next() - 0.2) * 100000) / 1000).toFixed(pick([0, 1, 3])));
    const totals = createPartTotals();
    const parts = new Map<string, PartRow[]>();
    for (let step = 0; step < 600; step++) {
      const part = `P${Math.floor(next() * 12)}`;
      if (next() < 0.15) {
        totals.replace(part, undefined);
        parts.delete(part);
      } else {
        const rows: PartRow[] = [];
        for (const [indicator, aggregation] of indicators) {
          for (const g of ['LV', 'LT', 'EE'])
            if (next() < 0.5) rows.push({ aggregation, indicator, g, value: decimal(), cumulative: decimal() });
        }
        totals.replace(part, rows);
        parts.set(part, rows);
      }
      for (const [indicator] of indicators) {
        const got = totals.figures(indicator).map((t) => ({
          group: t.group,
          value: t.value === null ? null : Number(t.value),
          cumulative: t.cumulative === null ? null : Number(t.cumulative),
        }));
        expect(got, `step ${step}, ${indicator}`).to.deep.equal(fromScratch(parts, indicator));
      }
    }
  });

  it('forgets a group no part has any more, and starts again when cleared', () => {
    const totals = createPartTotals();
    totals.replace('A', [{ aggregation: 'sum', indicator: 'S', g: 'LV', value: '2', cumulative: '5' }]);
    totals.replace('B', [{ aggregation: 'sum', indicator: 'S', g: 'LT', value: null, cumulative: '1.5' }]);
    expect(totals.figures('S')).to.deep.equal([
      { group: 'LT', value: null, cumulative: '1.5' },
      { group: 'LV', value: '2', cumulative: '5' },
    ]);
    totals.replace('A', []);
    expect(totals.figures('S')).to.deep.equal([{ group: 'LT', value: null, cumulative: '1.5' }]);
    totals.clear();
    expect(totals.figures('S')).to.deep.equal([]);
  });

  it('adds decimals exactly, as PostgreSQL would', () => {
    const cases: [string, string, string][] = [
      ['1.5', '2.25', '3.75'],
      ['0.1', '0.2', '0.3'],
      ['-1.50', '1', '-0.50'],
      ['-1.50', '2', '0.50'],
      ['0.05', '-0.07', '-0.02'],
      ['-2', '-3.001', '-5.001'],
      ['9007199254740993', '1', '9007199254740994'],
      ['0', '-0', '0'],
    ];
    for (const [a, b, sum] of cases) expect(addDecimal(a, b), `${a} + ${b}`).to.equal(sum);
  });
});
