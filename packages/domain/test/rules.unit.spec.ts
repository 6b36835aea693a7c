import { expect } from 'chai';
import fc from 'fast-check';
import {
  aggregate,
  exactSum,
  exactTotal,
  applyLedgerChange,
  builtinCatalogues,
  contributionsOf,
  indicatorFigures,
  ledgerChangeOf,
  reportingPeriods,
  socQualityOutputs,
  socQualityPartners,
  socQualityProject,
  type DomainEvent,
  type Ledger,
  type PeriodFigure,
} from '../src/index.js';

const catalogue = builtinCatalogues['interreg-2021-2027']!;
const periods = reportingPeriods(socQualityProject.startDate, socQualityProject.endDate, 6);
const start = socQualityProject.startDate;

/** Given events with ids, when folded into a ledger, then the figures of one indicator. */
function figures(
  events: { id: string; event: DomainEvent }[],
  code: string,
  partner?: string,
): { period: (number | null)[]; cumulative: (number | null)[] } {
  let ledger: Ledger = new Map();
  for (const { id, event } of events) ledger = applyLedgerChange(ledger, ledgerChangeOf(id, event, catalogue, start));
  const f = indicatorFigures(ledger, catalogue, periods).find((x) => x.code === code)!;
  const rows: PeriodFigure[] = partner ? (f.byPartner[partner] ?? []) : f.periods;
  return { period: rows.map((r) => r.periodValue), cumulative: rows.map((r) => r.cumulativeValue) };
}

const scenario = [...socQualityPartners, ...socQualityOutputs].map((event, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  event,
}));
const idOf = (pred: (e: DomainEvent) => boolean) => scenario.find((s) => pred(s.event))!.id;

describe('rule engine on the SocQuality scenario', () => {
  it('sums cross-border participations of camps, visits and public events into RCO81', () => {
    expect(figures(scenario, 'RCO81')).to.deep.equal({ period: [57, 52, 46, 53], cumulative: [57, 109, 155, 208] });
    expect(figures(scenario, 'RCO81', 'LP')).to.deep.equal({ period: [33, 30, 0, 25], cumulative: [33, 63, 63, 88] });
    expect(figures(scenario, 'RCO81', 'PP7').cumulative).to.deep.equal([0, 22, 42, 42]);
  });

  it('sums trainees into RCO85', () => {
    expect(figures(scenario, 'RCO85')).to.deep.equal({ period: [0, 24, 30, 0], cumulative: [0, 24, 54, 54] });
  });

  it('counts each partner organisation once in RCO87, in the period it joined', () => {
    expect(figures(scenario, 'RCO87')).to.deep.equal({ period: [8, 0, 0, 0], cumulative: [8, 8, 8, 8] });
  });

  it('counts public events into RCO115', () => {
    expect(figures(scenario, 'RCO115')).to.deep.equal({ period: [1, 0, 0, 1], cumulative: [1, 1, 1, 2] });
  });

  it('counts an inclusion measure once although it was delivered again later (RCO84)', () => {
    expect(figures(scenario, 'RCO84')).to.deep.equal({ period: [0, 0, 5, 2], cumulative: [0, 0, 5, 7] });
  });

  it('counts one methodology introduced in many organisations as one solution (RCO116)', () => {
    expect(figures(scenario, 'RCO116')).to.deep.equal({ period: [0, 0, 0, 1], cumulative: [0, 0, 0, 1] });
  });

  it('counts the Viesīte day centre once although it was completed in P3 and again (fit-out) in P4', () => {
    expect(figures(scenario, 'OBJ')).to.deep.equal({ period: [0, 1, 3, 2], cumulative: [0, 1, 4, 6] });
    expect(figures(scenario, 'OBJ', 'PP5')).to.deep.equal({ period: [0, 0, 1, 0], cumulative: [0, 0, 1, 1] });
  });

  it('takes the latest capacity per facility owner and sums across partners (stock)', () => {
    expect(figures(scenario, 'CAP')).to.deep.equal({ period: [null, 6, 32, 54], cumulative: [null, 6, 38, 72] });
  });

  it('sums expenditure in cents, the leap-day declaration landing in P4', () => {
    expect(figures(scenario, 'EXP')).to.deep.equal({
      period: [0, 0, 4_500_000, 4_607_982],
      cumulative: [0, 0, 4_500_000, 9_107_982],
    });
  });
});

describe('corrections and retractions', () => {
  const campId = idOf((e) => e.type === 'CampHeld');
  const kickOffId = idOf((e) => e.type === 'PublicEventHeld');
  const sensoryRoomId = idOf((e) => e.type === 'InfrastructureCompleted');
  const camp = scenario.find((s) => s.id === campId)!.event as Extract<DomainEvent, { type: 'CampHeld' }>;
  const room = scenario.find((s) => s.id === sensoryRoomId)!.event as Extract<
    DomainEvent,
    { type: 'InfrastructureCompleted' }
  >;
  const correction = (id: string, corrects: string, replacement: DomainEvent) => ({
    id,
    event: { type: 'OutputCorrected', data: { correctsEventId: corrects, replacement } } as DomainEvent,
  });

  it("replaces the corrected event's contribution instead of adding to it", () => {
    const fixed = {
      ...camp,
      data: { ...camp.data, participants: { total: 40, crossBorder: 21, withDisabilities: 30 } },
    };
    expect(figures([...scenario, correction('c1', campId, fixed)], 'RCO81').cumulative).to.deep.equal([
      60, 112, 158, 211,
    ]);
  });

  it('lets a later correction of the same event supersede the earlier one', () => {
    const first = { ...camp, data: { ...camp.data, participants: { total: 40, crossBorder: 21 } } };
    const second = { ...camp, data: { ...camp.data, participants: { total: 40, crossBorder: 10 } } };
    expect(
      figures([...scenario, correction('c1', campId, first), correction('c2', campId, second)], 'RCO81').period[0],
    ).to.equal(49);
  });

  it('matches a correction or retraction that names its output in capitals (ids are compared in one case)', () => {
    const output = { id: 'abcdef00-0000-4000-8000-00000000000a', event: camp };
    const fixed = { ...camp, data: { ...camp.data, participants: { total: 40, crossBorder: 1 } } };
    const named = (id: string) => figures([...scenario, output, correction('c1', id, fixed)], 'RCO81').cumulative;
    expect(named(output.id.toUpperCase())).to.deep.equal(named(output.id));
    expect(named(output.id)).to.not.deep.equal(figures([...scenario, output], 'RCO81').cumulative);
    const retracted = (id: string) =>
      figures(
        [
          ...scenario,
          output,
          {
            id: 'r1',
            event: { type: 'OutputRetracted', data: { retractsEventId: id, reason: 'Duplicate' } },
          },
        ],
        'RCO81',
      ).cumulative;
    expect(retracted(output.id.toUpperCase())).to.deep.equal(figures(scenario, 'RCO81').cumulative);
  });

  it("removes a retracted event's contribution from every indicator", () => {
    const retraction = {
      id: 'r1',
      event: {
        type: 'OutputRetracted',
        data: { retractsEventId: kickOffId, reason: 'Duplicate report' },
      } as DomainEvent,
    };
    expect(figures([...scenario, retraction], 'RCO81').period[0]).to.equal(42);
    expect(figures([...scenario, retraction], 'RCO115').cumulative).to.deep.equal([0, 0, 0, 1]);
  });

  it('moves a distinct object to the period its corrected date falls in, still counted once', () => {
    const moved = { ...room, data: { ...room.data, date: '2019-03-05' } };
    expect(figures([...scenario, correction('c1', sensoryRoomId, moved)], 'OBJ')).to.deep.equal({
      period: [0, 0, 4, 2],
      cumulative: [0, 0, 4, 6],
    });
  });

  it('ignores registry events that contribute nothing', () => {
    expect(
      ledgerChangeOf(
        'x',
        { type: 'ReportApproved', data: { level: 'project', periodId: 'P1', reason: 'Checked' } },
        catalogue,
        start,
      ),
    ).to.equal(undefined);
    expect(
      contributionsOf(
        { type: 'EquipmentPurchased', data: { partner: 'PP8', date: '2019-03-14', description: 'Kit', costCents: 1 } },
        catalogue,
        start,
      ),
    ).to.deep.equal([]);
  });
});

describe('exactSum', () => {
  it('adds decimals as a person does, in any order, with negatives, and numbers written with an exponent as floats', () => {
    expect(exactSum([0.1, 0.2])).to.equal(0.3);
    expect(0.1 + 0.2).to.not.equal(0.3);
    expect(exactSum([94.5, 0.3])).to.equal(94.8);
    expect(exactSum([-1.25, 0.05, 3])).to.equal(1.8);
    expect(exactSum([])).to.equal(0);
    expect(exactSum([1e21, 1])).to.equal(1e21 + 1);
    expect(exactSum([10_000_000_000_000, 1])).to.equal(10_000_000_000_001);
    // Whole numbers take a fast path, which must not lose what an unsafe intermediate total would.
    expect(exactSum([2 ** 53, 1, -(2 ** 53)])).to.equal(1);
    expect(exactSum(new Set([0.1, 0.2]).values())).to.equal(0.3);
  });
});

describe('aggregation over periods (properties)', () => {
  const factArb = fc.record({
    partner: fc.constantFrom('LP', 'PP2', 'PP5', 'PP8'),
    date: fc.integer({ min: 0, max: 730 }).map((d) => new Date(Date.UTC(2018, 2, 1 + d)).toISOString().slice(0, 10)),
    value: fc.integer({ min: 0, max: 1000 }),
    distinctKey: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
  });

  it('sum: cumulative is the running total of period values', () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 60 }), (facts) => {
        const f = aggregate('sum', facts, periods);
        let running = 0;
        for (const p of f) {
          running += p.periodValue!;
          expect(p.cumulativeValue).to.equal(running);
        }
        expect(running).to.equal(facts.reduce((s, x) => s + x.value, 0));
      }),
    );
  });

  it('count-distinct: never double counts across periods and ends at the number of distinct keys', () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 60 }), (facts) => {
        const f = aggregate('count-distinct', facts, periods);
        expect(f.reduce((s, p) => s + p.periodValue!, 0)).to.equal(new Set(facts.map((x) => x.distinctKey)).size);
        expect(f.at(-1)!.cumulativeValue).to.equal(new Set(facts.map((x) => x.distinctKey)).size);
        f.forEach((p, i) => i > 0 && expect(p.cumulativeValue! >= f[i - 1]!.cumulativeValue!).to.equal(true));
      }),
    );
  });

  it('sum and count-distinct do not depend on the order events were recorded in', () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 40 }), fc.integer(), (facts, seed) => {
        const shuffled = [...facts].sort((a, b) => ((a.value * 31 + seed) % 7) - ((b.value * 31 + seed) % 7));
        for (const agg of ['sum', 'count-distinct', 'max'] as const)
          expect(aggregate(agg, shuffled, periods)).to.deep.equal(aggregate(agg, facts, periods));
      }),
    );
  });

  it('is, to the last bit, the plain definition: the facts of each period filtered, then added up as decimals', () => {
    type F = { partner: string; date: string; value: number; distinctKey?: string };
    const total = (fs: F[]) => exactSum(fs.map((c) => c.value));
    const latest = (fs: F[]) => {
      if (fs.length === 0) return null;
      const m = new Map<string, F>();
      for (const c of fs) if (!m.has(c.partner) || m.get(c.partner)!.date <= c.date) m.set(c.partner, c);
      return total([...m.values()]);
    };
    const first = (fs: F[]) => {
      const m = new Map<string, F>();
      for (const c of fs)
        if (!m.has(c.distinctKey ?? '') || c.date < m.get(c.distinctKey ?? '')!.date) m.set(c.distinctKey ?? '', c);
      return [...m.values()];
    };
    const plain = (agg: 'sum' | 'count' | 'count-distinct' | 'max' | 'latest', facts: F[]) =>
      periods.map((p) => {
        const all = agg === 'count-distinct' ? first(facts) : facts;
        const within = all.filter((c) => p.start <= c.date && c.date <= p.end);
        const before = all.filter((c) => c.date <= p.end);
        const fold = (fs: F[]) =>
          agg === 'count-distinct'
            ? fs.length
            : agg === 'max'
              ? fs.length
                ? Math.max(...fs.map((c) => c.value))
                : null
              : agg === 'latest'
                ? latest(fs)
                : total(fs);
        return { periodId: p.id, periodValue: fold(within), cumulativeValue: fold(before) };
      });
    // Fractional values (so the order of additions shows), dates before the first and after the last period,
    // several facts on one date (a stock's tie goes to the later record), keys missing or repeated.
    const arb = fc.record({
      partner: fc.constantFrom('LP', 'PP2', 'PP5'),
      date: fc
        .integer({ min: -40, max: 800 })
        .map((d) => new Date(Date.UTC(2018, 2, 1 + Math.floor(d / 3) * 3)).toISOString().slice(0, 10)),
      value: fc.oneof(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom(0.1, 0.2, 0.3),
      ),
      distinctKey: fc.option(fc.constantFrom('a', 'b', ''), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 80 }), (facts) => {
        const clean = facts.map(({ distinctKey, ...f }) => (distinctKey === undefined ? f : { ...f, distinctKey }));
        for (const agg of ['sum', 'count', 'count-distinct', 'max', 'latest'] as const)
          expect(aggregate(agg, clean, periods), agg).to.deep.equal(plain(agg, clean));
      }),
      { numRuns: 500, seed: 20261130 },
    );
  });

  it('latest: a stock is never summed over time, only across partners', () => {
    const facts = [
      { partner: 'PP5', date: '2019-05-31', value: 20 },
      { partner: 'PP5', date: '2019-11-15', value: 24 },
      { partner: 'PP3', date: '2019-12-18', value: 30 },
    ];
    expect(aggregate('latest', facts, periods).map((p) => p.cumulativeValue)).to.deep.equal([null, null, 20, 54]);
    expect(aggregate('max', facts, periods).map((p) => p.cumulativeValue)).to.deep.equal([null, null, 20, 30]);
  });
});

describe('exactTotal', () => {
  it('gives exactSum of the values added, whole, decimal, large and with exponents (500 seeded runs)', () => {
    const value = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.constantFrom(0.1, 0.2, -0.3, 94.5, 1e-7, 2.5e21, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 30 }), (values) => {
        const total = exactTotal();
        for (const v of values) total.add(v);
        expect(total.value).to.equal(exactSum(values));
      }),
      { numRuns: 500, seed: 20261202 },
    );
  });
});
