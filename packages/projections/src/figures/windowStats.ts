import type { Aggregation } from '@il/domain';
import { exactSum, exactTotal } from '@il/domain';

/**
 * What a query reads from a set of cells, whatever the indicator's rule: their total, their largest value, and the
 * sum over organisations (project and partner) of each one's latest cell. Null where there is no cell. Every
 * engine computes these with plain grouped reads (SQL's sum/max, or the same over cells in memory); the rules below
 * then pick the figure, in one place for all engines.
 */
export interface CellStats {
  sum: number | null;
  max: number | null;
  latest: number | null;
}

/** The stats of a window from..to: `period` over the cells dated in it, `cumulative` over those up to its end. */
export interface WindowStats {
  period: CellStats;
  cumulative: CellStats;
}

export const noStats: CellStats = { sum: null, max: null, latest: null };

export const isStock = (aggregation: Aggregation): boolean => aggregation === 'max' || aggregation === 'latest';

/**
 * The figure of a rule from its cells' stats. Flows (sum, count) and distinct counts add their cells up (a key is
 * counted in the one cell of its first occurrence); max takes the largest; latest sums each organisation's latest
 * value. With no cell, a flow is 0 and a stock is null (nothing reported is not a stock of 0).
 */
export function figureOf(aggregation: Aggregation, stats: CellStats): number | null {
  switch (aggregation) {
    case 'sum':
    case 'count':
    case 'count-distinct':
      return stats.sum ?? 0;
    case 'max':
      return stats.max;
    case 'latest':
      return stats.latest;
  }
}

/** The stats of several disjoint groups of organisations taken together (a project from its partners). */
export function combineStats(list: readonly CellStats[]): CellStats {
  const present = (k: keyof CellStats) => list.map((s) => s[k]).filter((v): v is number => v !== null);
  const sums = present('sum');
  const maxima = present('max');
  const latest = present('latest');
  return {
    sum: sums.length ? exactSum(sums) : null,
    max: maxima.length ? Math.max(...maxima) : null,
    latest: latest.length ? exactSum(latest) : null,
  };
}

export function combineWindows(list: readonly WindowStats[]): WindowStats {
  return { period: combineStats(list.map((w) => w.period)), cumulative: combineStats(list.map((w) => w.cumulative)) };
}

/** A cell as the in-memory stats need it. */
export interface StatCell {
  projectId: string;
  partner: string;
  day: string;
  value: number;
}

/** CellStats of the cells in memory (what an engine without SQL reads; PostgreSQL computes the same in SQL). */
export function statsOfCells(cells: readonly StatCell[]): CellStats {
  if (cells.length === 0) return noStats;
  const latestByOrg = new Map<string, StatCell>();
  for (const c of cells) {
    const org = `${c.projectId}\u001f${c.partner}`;
    const seen = latestByOrg.get(org);
    if (!seen || c.day > seen.day) latestByOrg.set(org, c);
  }
  return {
    sum: exactSum(cells.map((c) => c.value)),
    max: Math.max(...cells.map((c) => c.value)),
    latest: exactSum([...latestByOrg.values()].map((c) => c.value)),
  };
}

export function windowStatsOfCells(cells: readonly StatCell[], from: string, to: string): WindowStats {
  const upTo = cells.filter((c) => c.day <= to);
  return { period: statsOfCells(upTo.filter((c) => c.day >= from)), cumulative: statsOfCells(upTo) };
}

/** One cell of a project as a project question reads it (its project is the question's). */
export interface DayCell {
  indicator: string;
  partner: string;
  day: string;
  value: number;
}

/** The stats of one organisation's cells as they are added (one organisation: its latest is its latest day's). */
function organisationStats() {
  const sum = exactTotal();
  let max: number | null = null;
  let lastDay = '';
  let last: number | null = null;
  return {
    add(day: string, value: number) {
      sum.add(value);
      if (max === null || value > max) max = value;
      if (last === null || day > lastDay) [lastDay, last] = [day, value];
    },
    stats(): CellStats {
      if (max === null) return noStats;
      return { sum: sum.value, max, latest: last };
    },
  };
}

/**
 * Per indicator and partner of one project, the window's stats from its cells (what windowStatsOfCells gives each
 * group; a unit test holds them equal); every partner with a cell at any date is listed, with empty stats where
 * none lies in the window. One pass and no copies: a project question reads about a thousand cells, and this ran
 * for every question whose answer was not reused, most of what such a question allocated.
 */
export function projectStatsOf(
  cells: readonly DayCell[],
  from: string,
  to: string,
): { indicator: string; partner: string; stats: WindowStats }[] {
  type Group = {
    indicator: string;
    partner: string;
    period: ReturnType<typeof organisationStats>;
    cumulative: ReturnType<typeof organisationStats>;
  };
  const byIndicator = new Map<string, Map<string, Group>>();
  const groups: Group[] = []; // in the order each first appears
  for (const c of cells) {
    let partners = byIndicator.get(c.indicator);
    if (!partners) byIndicator.set(c.indicator, (partners = new Map<string, Group>()));
    let g = partners.get(c.partner);
    if (!g) {
      g = { indicator: c.indicator, partner: c.partner, period: organisationStats(), cumulative: organisationStats() };
      partners.set(c.partner, g);
      groups.push(g);
    }
    if (c.day > to) continue;
    g.cumulative.add(c.day, c.value);
    if (c.day >= from) g.period.add(c.day, c.value);
  }
  return groups.map((g) => ({
    indicator: g.indicator,
    partner: g.partner,
    stats: { period: g.period.stats(), cumulative: g.cumulative.stats() },
  }));
}
