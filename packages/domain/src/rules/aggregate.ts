import type { Period } from '../calendar/periods.js';
import type { Aggregation } from '../catalogue/catalogueSchema.js';
import type { Contribution } from './contributions.js';

export interface PeriodFigure {
  periodId: string;
  /** What happened in the period; null for max/latest with no report in it. */
  periodValue: number | null;
  /** Everything up to the end of the period, by the indicator's rule over time (never a sum of cumulatives). */
  cumulativeValue: number | null;
}

type Fact = Pick<Contribution, 'partner' | 'date' | 'value' | 'distinctKey'>;

const inPeriod = (p: Period) => (c: Fact) => p.start <= c.date && c.date <= p.end;
const upTo = (p: Period) => (c: Fact) => c.date <= p.end;

function total(facts: Fact[]): number {
  return facts.reduce((s, c) => s + c.value, 0);
}

function maximum(facts: Fact[]): number | null {
  return facts.length === 0 ? null : Math.max(...facts.map((c) => c.value));
}

/** Stocks sum across organisations but take each organisation's latest value over time. */
function sumOfLatest(facts: Fact[]): number | null {
  if (facts.length === 0) return null;
  const latest = new Map<string, Fact>();
  for (const c of facts) {
    const seen = latest.get(c.partner);
    if (!seen || seen.date <= c.date) latest.set(c.partner, c);
  }
  return total([...latest.values()]);
}

/** Distinct keys are counted in the period they first occurred in, over the whole set given. */
function firstOccurrences(facts: Fact[]): Fact[] {
  const first = new Map<string, Fact>();
  for (const c of facts) {
    const key = c.distinctKey ?? '';
    const seen = first.get(key);
    if (!seen || c.date < seen.date) first.set(key, c);
  }
  return [...first.values()];
}

/**
 * Folds one indicator's contributions (in the order they were recorded) into period and cumulative figures.
 * Flows (sum, count) add up over time; count-distinct counts a key once; max and latest are stock-like.
 */
export function aggregate(aggregation: Aggregation, facts: readonly Fact[], periods: readonly Period[]): PeriodFigure[] {
  const all = [...facts];
  const distinct = aggregation === 'count-distinct' ? firstOccurrences(all) : all;
  return periods.map((p) => {
    const within = distinct.filter(inPeriod(p));
    const before = distinct.filter(upTo(p));
    switch (aggregation) {
      case 'sum':
      case 'count':
        return { periodId: p.id, periodValue: total(within), cumulativeValue: total(before) };
      case 'count-distinct':
        return { periodId: p.id, periodValue: within.length, cumulativeValue: before.length };
      case 'max':
        return { periodId: p.id, periodValue: maximum(within), cumulativeValue: maximum(before) };
      case 'latest':
        return { periodId: p.id, periodValue: sumOfLatest(within), cumulativeValue: sumOfLatest(before) };
    }
  });
}
