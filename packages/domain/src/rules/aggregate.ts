import type { Period } from '../calendar/periods.js';
import type { Aggregation } from '../catalogue/catalogueSchema.js';
import type { Contribution } from './contributions.js';
import { exactSum } from './exactSum.js';

export interface PeriodFigure {
  periodId: string;
  /** What happened in the period; null for max/latest with no report in it. */
  periodValue: number | null;
  /** Everything up to the end of the period, by the indicator's rule over time (never a sum of cumulatives). */
  cumulativeValue: number | null;
}

type Fact = Pick<Contribution, 'partner' | 'date' | 'value' | 'distinctKey'>;

/** Stocks sum across organisations but take each organisation's latest value over time (ties: the later record). */
function latestByPartner(facts: readonly Fact[], from: string | undefined, to: string): number | null {
  const latest = new Map<string, Fact>();
  for (const c of facts) {
    if (c.date > to || (from !== undefined && c.date < from)) continue;
    const seen = latest.get(c.partner);
    if (!seen || seen.date <= c.date) latest.set(c.partner, c);
  }
  if (latest.size === 0) return null;
  return exactSum([...latest.values()].map((c) => c.value));
}

/** Distinct keys are counted in the period they first occurred in, over the whole set given (ties: the first recorded). */
export function firstOccurrences<F extends Fact>(facts: readonly F[]): F[] {
  const first = new Map<string, F>();
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
 * This is the reference fold (tests compare the maintained figures with it), not a query path. Sums are exact
 * decimal sums (exactSum), as every engine's are, whatever order the numbers are added in.
 */
export function aggregate(
  aggregation: Aggregation,
  facts: readonly Fact[],
  periods: readonly Period[],
): PeriodFigure[] {
  const list = aggregation === 'count-distinct' ? firstOccurrences(facts) : facts;
  return periods.map((p): PeriodFigure => {
    switch (aggregation) {
      case 'sum':
      case 'count':
      case 'count-distinct': {
        const counting = aggregation === 'count-distinct';
        const within: number[] = [];
        const before: number[] = [];
        for (const c of list) {
          if (c.date > p.end) continue;
          const v = counting ? 1 : c.value;
          before.push(v);
          if (c.date >= p.start) within.push(v);
        }
        return { periodId: p.id, periodValue: exactSum(within), cumulativeValue: exactSum(before) };
      }
      case 'max': {
        let within: number | null = null;
        let before: number | null = null;
        for (const c of list) {
          if (c.date > p.end) continue;
          before = before === null ? c.value : Math.max(before, c.value);
          if (c.date >= p.start) within = within === null ? c.value : Math.max(within, c.value);
        }
        return { periodId: p.id, periodValue: within, cumulativeValue: before };
      }
      case 'latest':
        return {
          periodId: p.id,
          periodValue: latestByPartner(list, p.start, p.end),
          cumulativeValue: latestByPartner(list, undefined, p.end),
        };
    }
  });
}
