import { expect } from 'chai';
import fc from 'fast-check';
import { projectStatsOf, windowStatsOfCells, type DayCell } from '../src/index.js';

// projectStatsOf makes one pass over a project's cells; it must give each indicator and partner exactly what the
// general stats (windowStatsOfCells, which every engine's in-memory path uses) give that group's cells.
describe('a project question’s stats per indicator and partner (projectStatsOf)', () => {
  const day = fc.integer({ min: 0, max: 40 }).map((d) => `2020-02-${String(1 + (d % 29)).padStart(2, '0')}`);
  const value = fc.oneof(fc.integer({ min: -50, max: 500 }), fc.constantFrom(0.1, 0.2, 2.5, -0.3, 1e-7, 1e21));
  const cell = fc.record({
    indicator: fc.constantFrom('RCO81', 'RCO84', 'RCO116'),
    partner: fc.constantFrom('LP', 'PP2', 'PP3'),
    day,
    value,
  });

  it('equals windowStatsOfCells of each group, groups in the order they first appear (500 seeded runs)', () => {
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 60 }), day, day, (cells: DayCell[], a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const groups = new Map<string, DayCell[]>();
        for (const c of cells) {
          const key = `${c.indicator}/${c.partner}`;
          groups.set(key, [...(groups.get(key) ?? []), c]);
        }
        const expected = [...groups.values()].map((list) => ({
          indicator: list[0]!.indicator,
          partner: list[0]!.partner,
          stats: windowStatsOfCells(
            list.map((c) => ({ projectId: 'P', partner: c.partner, day: c.day, value: c.value })),
            from,
            to,
          ),
        }));
        expect(projectStatsOf(cells, from, to)).to.deep.equal(expected);
      }),
      { numRuns: 500, seed: 20261202 },
    );
  });
});
