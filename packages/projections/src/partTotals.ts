import type { Aggregation } from '@il/domain';

/** One aggregated row of one part (a project): exact decimal text as PostgreSQL writes numerics, null where none. */
export interface PartRow {
  aggregation: Aggregation;
  indicator: string;
  g: string;
  value: string | null;
  cumulative: string | null;
}

/** One figure of the whole: the sum (or largest) of the parts that have it, and how many do. */
interface Total {
  value: string | null;
  cumulative: string | null;
  /** Parts with a row for this group, and with a non-null value / cumulative value in it. */
  parts: number;
  values: number;
  cumulatives: number;
}

/**
 * Figures added up over parts that are replaced one at a time: per indicator and group, the sum of the parts'
 * figures (the largest for `max`), null where no part has one. A replaced part is taken out exactly (decimal
 * arithmetic); a largest value cannot be taken out, so the `max` figures a part leaves are found again among the
 * others. The caller owns the rows it hands in and must not change them afterwards.
 */
export function createPartTotals() {
  const parts = new Map<string, readonly PartRow[]>();
  const totals = new Map<string, Map<string, Total>>();

  function add(r: PartRow): void {
    let groups = totals.get(r.indicator);
    if (!groups) totals.set(r.indicator, (groups = new Map<string, Total>()));
    const total = groups.get(r.g);
    if (!total) {
      groups.set(r.g, {
        value: r.value,
        cumulative: r.cumulative,
        parts: 1,
        values: r.value === null ? 0 : 1,
        cumulatives: r.cumulative === null ? 0 : 1,
      });
      return;
    }
    total.parts++;
    if (r.value !== null) total.values++;
    if (r.cumulative !== null) total.cumulatives++;
    total.value = combine(r.aggregation, total.value, r.value);
    total.cumulative = combine(r.aggregation, total.cumulative, r.cumulative);
  }

  return {
    /** Puts `rows` in place of the part's current rows (none: the part is gone). */
    replace(part: string, rows: readonly PartRow[] | undefined): void {
      const recount = new Set<string>();
      for (const r of parts.get(part) ?? []) {
        const groups = totals.get(r.indicator)!;
        const total = groups.get(r.g)!;
        total.parts--;
        if (r.value !== null) total.values--;
        if (r.cumulative !== null) total.cumulatives--;
        if (r.aggregation === 'max') recount.add(r.indicator);
        else {
          if (r.value !== null) total.value = total.values === 0 ? null : addDecimal(total.value!, negated(r.value));
          if (r.cumulative !== null)
            total.cumulative = total.cumulatives === 0 ? null : addDecimal(total.cumulative!, negated(r.cumulative));
        }
        if (total.parts === 0) groups.delete(r.g);
      }
      if (rows) parts.set(part, rows);
      else parts.delete(part);
      for (const r of rows ?? []) if (!recount.has(r.indicator)) add(r);
      for (const indicator of recount) {
        totals.delete(indicator);
        for (const own of parts.values()) for (const r of own) if (r.indicator === indicator) add(r);
      }
    },
    clear(): void {
      parts.clear();
      totals.clear();
    },
    /** An indicator's figures, by group in text order. */
    figures(indicator: string): { group: string; value: string | null; cumulative: string | null }[] {
      return [...(totals.get(indicator) ?? [])]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([group, t]) => ({ group, value: t.value, cumulative: t.cumulative }));
    },
  };
}

/** Two parts' figures of one group: null where a part has none; the larger for `max`, the sum otherwise. */
function combine(aggregation: Aggregation, a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  if (aggregation === 'max') return Number(b) > Number(a) ? b : a;
  return addDecimal(a, b);
}

const negated = (x: string) => (x.startsWith('-') ? x.slice(1) : `-${x}`);

const fractionDigits = (x: string) => {
  const dot = x.indexOf('.');
  return dot < 0 ? 0 : x.length - dot - 1;
};

/** Exact sum of two decimals as PostgreSQL writes numerics (no exponent). */
export function addDecimal(a: string, b: string): string {
  // Most figures are counts: integers well inside a double's exact range add as numbers.
  if (a.length < 16 && b.length < 16 && !a.includes('.') && !b.includes('.')) return String(Number(a) + Number(b));
  const scale = Math.max(fractionDigits(a), fractionDigits(b));
  const scaled = (x: string) => {
    const negative = x.startsWith('-');
    const [whole, fraction = ''] = (negative ? x.slice(1) : x).split('.');
    const v = BigInt(`${whole}${fraction.padEnd(scale, '0')}`);
    return negative ? -v : v;
  };
  const sum = scaled(a) + scaled(b);
  if (scale === 0) return sum.toString();
  const negative = sum < 0n;
  const digits = (negative ? -sum : sum).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
