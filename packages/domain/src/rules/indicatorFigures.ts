import type { Period } from '../calendar/periods.js';
import type { Catalogue } from '../catalogue/catalogueSchema.js';
import { aggregate, firstOccurrences, type PeriodFigure } from './aggregate.js';
import type { Ledger } from './ledgerChange.js';

export interface IndicatorFigures {
  code: string;
  periods: PeriodFigure[];
  byPartner: Record<string, PeriodFigure[]>;
}

/**
 * Figures of every indicator from a ledger: the reference computation. Read models compute the same numbers
 * incrementally; their tests compare against this.
 */
export function indicatorFigures(ledger: Ledger, catalogue: Catalogue, periods: readonly Period[]): IndicatorFigures[] {
  const all = [...ledger.values()].flat();
  return catalogue.indicators.map((indicator) => {
    const facts = all.filter((c) => c.indicator === indicator.code);
    const partners = [...new Set(facts.map((c) => c.partner))].sort();
    // A distinct key counts for the partner of its first occurrence in the project, so partners add up to it.
    const distinct = indicator.aggregation === 'count-distinct';
    const counted = distinct ? firstOccurrences(facts) : facts;
    // Own properties defined from entries: a partner code is never assigned through an object's prototype.
    const byPartner = Object.fromEntries(
      partners.map((partner) => [
        partner,
        aggregate(
          distinct ? 'count' : indicator.aggregation,
          counted.filter((c) => c.partner === partner),
          periods,
        ),
      ]),
    );
    return { code: indicator.code, periods: aggregate(indicator.aggregation, facts, periods), byPartner };
  });
}
