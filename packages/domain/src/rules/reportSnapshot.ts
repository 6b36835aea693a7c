import type { z } from 'zod';
import type { Period } from '../calendar/periods.js';
import type { Aggregation, Catalogue } from '../catalogue/catalogueSchema.js';
import type { reportLineSchema, reportSnapshotSchema } from '../events/reportEvents.js';
import { aggregate, firstOccurrences } from './aggregate.js';
import type { Contribution } from './contributions.js';
import { exactSum } from './exactSum.js';
import type { Ledger } from './ledgerChange.js';

export type ReportSnapshot = z.output<typeof reportSnapshotSchema>;
export type ReportLine = z.output<typeof reportLineSchema>;

type Fact = Contribution & { outputEventId: string };

export interface SnapshotInput {
  catalogue: Catalogue;
  period: Period;
  /** A partner report's partner; absent for the project report. */
  partner?: string | undefined;
  /** The targets of the report's layer by indicator (the partner's own for a partner report). */
  targetOf: (indicator: string) => number | undefined;
  /** The newest earlier report of the same layer, whose cumulative values are "previously reported". */
  previous: { periodId: string; snapshot: ReportSnapshot } | undefined;
  /** The project's live contributions by output event id, in the order the outputs were recorded. */
  ledger: Ledger;
}

const additive = (a: Aggregation) => a === 'sum' || a === 'count' || a === 'count-distinct';

/** The facts a figure is made of, for the rule: the ones its value counts (see aggregate for the values). */
function countedFacts(aggregation: Aggregation, facts: readonly Fact[], from: string | undefined, to: string): Fact[] {
  const inWindow = facts.filter((f) => f.date <= to && (from === undefined || f.date >= from));
  switch (aggregation) {
    case 'sum':
    case 'count':
    case 'count-distinct':
      return inWindow;
    case 'max': {
      if (inWindow.length === 0) return [];
      const top = Math.max(...inWindow.map((f) => f.value));
      return inWindow.filter((f) => f.value === top).slice(0, 1);
    }
    case 'latest': {
      // Each organisation's latest value (ties: the later record), as aggregate's latestByPartner takes it.
      const latest = new Map<string, Fact>();
      for (const f of inWindow) {
        const seen = latest.get(f.partner);
        if (!seen || seen.date <= f.date) latest.set(f.partner, f);
      }
      return [...latest.values()];
    }
  }
}

const idsOf = (facts: readonly Fact[]) => [...new Set(facts.map((f) => f.outputEventId))].sort();

/**
 * The numbers a report states when it is submitted, per indicator of the catalogue: computed once, from what is
 * recorded at that moment, and stored in the submission event. A partner report counts its partner's part (a
 * distinct key for the partner of its first occurrence in the project, as the project figures do).
 */
export function reportSnapshot(input: SnapshotInput): ReportSnapshot {
  const all: Fact[] = [];
  for (const [outputEventId, contributions] of input.ledger)
    for (const c of contributions) all.push({ ...c, outputEventId });
  const lines = input.catalogue.indicators.map((indicator): ReportLine => {
    const rule = indicator.aggregation;
    const facts = all.filter((f) => f.indicator === indicator.code);
    const own = rule === 'count-distinct' ? firstOccurrences(facts) : facts;
    const mine = input.partner === undefined ? own : own.filter((f) => f.partner === input.partner);
    // Once first occurrences are taken, a distinct count is a plain count of them.
    const counting: Aggregation = rule === 'count-distinct' ? 'count' : rule;
    const [figure] = aggregate(counting, mine, [input.period]);
    const thisReport = figure?.periodValue ?? null;
    const cumulative = figure?.cumulativeValue ?? null;
    const earlier = input.previous?.snapshot.lines.find((l) => l.indicator === indicator.code);
    const previouslyReported = earlier ? earlier.cumulative : additive(rule) ? 0 : null;
    const adjustment = additive(rule)
      ? exactSum([cumulative ?? 0, -(previouslyReported ?? 0), -(thisReport ?? 0)])
      : null;
    return {
      indicator: indicator.code,
      target: input.targetOf(indicator.code) ?? null,
      previouslyReported,
      thisReport,
      adjustment,
      cumulative,
      thisReportEvents: idsOf(countedFacts(counting, mine, input.period.start, input.period.end)),
      cumulativeEvents: idsOf(countedFacts(counting, mine, undefined, input.period.end)),
    };
  });
  const { id, start, end } = input.period;
  return { period: { id, start, end }, previousPeriodId: input.previous?.periodId ?? null, lines };
}
