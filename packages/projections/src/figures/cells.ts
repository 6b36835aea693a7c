import type { Aggregation, Catalogue } from '@il/domain';
import { exactSum } from '@il/domain';

/**
 * A day cell: one indicator's figure for one partner of one project on one day (in the programme's calendar).
 * The projector maintains these; every figure a query answers is read from them (period and cumulative values by
 * plain sums, maxima or each partner's latest cell). Days rather than reporting periods because periods are derived
 * from the contract, which amendments change, and programme answers are asked per calendar month, quarter or year.
 */
export interface CellKey {
  projectId: string;
  indicator: string;
  partner: string;
  day: string;
}

export interface Cell extends CellKey {
  /**
   * sum, count: the day's total; max: the day's largest value; latest: the value recorded last for the day;
   * count-distinct: how many keys counted here, i.e. whose first live occurrence in the project is this partner's
   * on this day (the earliest date, and of that date the first recorded).
   */
  value: number;
  /** How many live contributions the cell holds (a cell exists while it holds one, even when it counts no key). */
  contributions: number;
}

/** A live contribution as the cell fold needs it. `order` is its recorded order (contributions are recorded in it). */
export interface CellContribution {
  projectId: string;
  indicator: string;
  partner: string;
  date: string;
  value: number;
  distinctKey: string | null;
  outputEventId: string;
  order: number;
}

/** The catalogue rule that decides a cell's value; undefined for an indicator the project's catalogue lacks. */
export type AggregationOf = (projectId: string, indicator: string) => Aggregation | undefined;

const sep = '\u001f';
export const cellKeyText = (c: { projectId: string; indicator: string; partner: string; day: string }): string =>
  `${c.projectId}${sep}${c.indicator}${sep}${c.partner}${sep}${c.day}`;
export const cellKeyOfContribution = (c: CellContribution): string =>
  cellKeyText({ projectId: c.projectId, indicator: c.indicator, partner: c.partner, day: c.date });
/** A distinct key is counted once per project and indicator. */
export const distinctKeyText = (c: Pick<CellContribution, 'projectId' | 'indicator' | 'distinctKey'>): string =>
  `${c.projectId}${sep}${c.indicator}${sep}${c.distinctKey ?? ''}`;

/** Which of a key's live contributions counts it: the earliest date, and of that date the first recorded. */
export function firstOccurrence<C extends Pick<CellContribution, 'date' | 'order'>>(rows: Iterable<C>): C | undefined {
  let first: C | undefined;
  for (const r of rows)
    if (!first || r.date < first.date || (r.date === first.date && r.order < first.order)) first = r;
  return first;
}

/** The value of a cell of a flow or stock indicator from all its live contributions (not for count-distinct). */
export function cellValueOf(aggregation: Exclude<Aggregation, 'count-distinct'>, rows: readonly CellContribution[]) {
  switch (aggregation) {
    case 'sum':
    case 'count':
      return exactSum(rows.map((r) => r.value));
    case 'max':
      return Math.max(...rows.map((r) => r.value));
    case 'latest': {
      let last = rows[0]!;
      for (const r of rows) if (r.order > last.order) last = r;
      return last.value;
    }
  }
}

/**
 * The cells of a set of live contributions, computed from scratch: what the projector's incremental maintenance
 * (maintainCells) must always equal, and how an engine that stores only contributions answers.
 */
export function cellsFromContributions(rows: readonly CellContribution[], aggregationOf: AggregationOf): Cell[] {
  const byCell = new Map<string, CellContribution[]>();
  const firsts = new Map<string, CellContribution>();
  for (const r of rows) {
    const aggregation = aggregationOf(r.projectId, r.indicator);
    if (!aggregation) continue;
    const key = cellKeyOfContribution(r);
    const list = byCell.get(key);
    if (list) list.push(r);
    else byCell.set(key, [r]);
    if (aggregation === 'count-distinct') {
      const k = distinctKeyText(r);
      const seen = firsts.get(k);
      if (!seen || firstOccurrence([seen, r]) === r) firsts.set(k, r);
    }
  }
  const counted = new Map<string, number>();
  for (const r of firsts.values()) {
    const key = cellKeyOfContribution(r);
    counted.set(key, (counted.get(key) ?? 0) + 1);
  }
  const out: Cell[] = [];
  for (const [key, list] of byCell) {
    const r = list[0]!;
    const aggregation = aggregationOf(r.projectId, r.indicator)!;
    out.push({
      projectId: r.projectId,
      indicator: r.indicator,
      partner: r.partner,
      day: r.date,
      value: aggregation === 'count-distinct' ? (counted.get(key) ?? 0) : cellValueOf(aggregation, list),
      contributions: list.length,
    });
  }
  return out.sort(compareCells);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
export const compareCells = (a: CellKey, b: CellKey): number =>
  byText(a.projectId, b.projectId) ||
  byText(a.indicator, b.indicator) ||
  byText(a.partner, b.partner) ||
  byText(a.day, b.day);

const rules = new WeakMap<Catalogue, Map<string, Aggregation>>();
/** Each indicator's rule by code, once per catalogue object (the fold asks for it for every contribution). */
export function rulesOf(catalogue: Catalogue): Map<string, Aggregation> {
  let m = rules.get(catalogue);
  if (!m) rules.set(catalogue, (m = new Map(catalogue.indicators.map((i) => [i.code, i.aggregation]))));
  return m;
}
