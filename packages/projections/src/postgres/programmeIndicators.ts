import type pg from 'pg';
import { catalogueFromText } from './catalogueCache.js';
import { groupedAggregates, type SqlGroupBy } from './groupedAggregates.js';
import { aggregate, calendarPeriodBounds, calendarPeriodId, NotFoundError, addMonths, type Catalogue, type Period } from '@il/domain';
import { validAt } from './asOfCondition.js';

export type GroupBy = 'priority' | 'specificObjective' | 'country' | 'region' | 'partner' | 'project' | 'period';
export type Granularity = 'month' | 'quarter' | 'half-year' | 'year';

interface Row {
  project_id: string;
  priority: string;
  specific_objective: string;
  partner: string;
  country: string | null;
  nuts3: string | null;
  indicator: string;
  date: string;
  value: string;
  distinct_key: string | null;
}

const keyOf: Record<Exclude<GroupBy, 'period'>, (r: Row) => string> = {
  priority: (r) => r.priority,
  specificObjective: (r) => r.specific_objective,
  country: (r) => r.country ?? 'unknown',
  region: (r) => r.nuts3 ?? 'unknown',
  partner: (r) => `${r.project_id}/${r.partner}`,
  project: (r) => r.project_id,
};

const stepMonths: Record<Granularity, number> = { month: 1, quarter: 3, 'half-year': 6, year: 12 };

function calendarPeriods(from: string, to: string, granularity: Granularity): Period[] {
  const out: Period[] = [];
  for (let start = calendarPeriodBounds(calendarPeriodId(from, granularity))!.start; start <= to; start = addMonths(start, stepMonths[granularity])) {
    out.push(calendarPeriodBounds(calendarPeriodId(start, granularity))!);
  }
  return out;
}

/**
 * Outputs across all projects of a programme, grouped. Distinct keys are made project-scoped (an object id is
 * unique within its project) and partners too, so stocks take each organisation's latest value and flows add up.
 * `value` is what occurred within from..to; `cumulativeValue` everything up to `to`.
 */
type ProgrammeQuery = { groupBy: GroupBy; from?: string | undefined; to?: string | undefined; asOf?: Date | undefined; granularity?: Granularity | undefined };

export async function programmeIndicators(pool: pg.Pool, programmeId: string, q: ProgrammeQuery) {
  const programme = (await pool.query<{ catalogue: string }>('select catalogue::text as catalogue from il_view_programmes where programme_id = $1', [programmeId])).rows[0];
  if (!programme) throw new NotFoundError(`programme ${programmeId} not found (or not projected yet)`);
  const catalogue = catalogueFromText(programme.catalogue);
  return q.groupBy === 'period' ? programmeIndicatorsInMemory(pool, programmeId, catalogue, q) : sqlAggregation(pool, programmeId, catalogue, { ...q, groupBy: q.groupBy });
}

/**
 * The reference: every contribution folded in this process with the domain's aggregate(). Used for calendar-period
 * series, and by tests as the oracle for the SQL aggregation.
 */
export async function programmeIndicatorsInMemory(pool: pg.Pool, programmeId: string, catalogue: Catalogue, q: ProgrammeQuery) {
  const rows = (await pool.query<Row>(
    `select c.project_id, p.priority, p.specific_objective, c.partner, pa.country, pa.nuts3, c.indicator,
            to_char(c.occurred_on, 'YYYY-MM-DD') as date, c.value::text, c.distinct_key
     from il_view_contributions c
     join il_view_projects p on p.project_id = c.project_id
     left join il_view_partners pa on pa.project_id = c.project_id and pa.partner_code = c.partner
     where p.programme_id = $1 and ($2::date is null or c.occurred_on <= $2) and ${validAt('$3')}`,
    [programmeId, q.to ?? null, q.asOf ?? null],
  )).rows;
  const facts = rows.map((r) => ({ row: r, partner: `${r.project_id}/${r.partner}`, date: r.date, value: Number(r.value), ...(r.distinct_key === null ? {} : { distinctKey: `${r.project_id}/${r.distinct_key}` }) }));
  const from = q.from ?? facts.reduce((m, f) => (f.date < m ? f.date : m), q.to ?? '9999-12-31');
  const to = q.to ?? facts.reduce((m, f) => (f.date > m ? f.date : m), from);
  const window: Period = { id: `${from}..${to}`, start: from, end: to };
  const groups: { indicator: string; name: string; unit: string; group: string; value: number | null; cumulativeValue: number | null }[] = [];
  for (const indicator of catalogue.indicators) {
    const mine = facts.filter((f) => f.row.indicator === indicator.code);
    if (q.groupBy === 'period') {
      if (mine.length === 0 && !q.from) continue;
      for (const f of aggregate(indicator.aggregation, mine, calendarPeriods(from, to >= from ? to : from, q.granularity ?? 'year'))) {
        groups.push({ indicator: indicator.code, name: indicator.name, unit: indicator.unit, group: f.periodId, value: f.periodValue, cumulativeValue: f.cumulativeValue });
      }
      continue;
    }
    const key = keyOf[q.groupBy];
    for (const group of [...new Set(mine.map((f) => key(f.row)))].sort()) {
      const [f] = aggregate(indicator.aggregation, mine.filter((x) => key(x.row) === group), [window]);
      groups.push({ indicator: indicator.code, name: indicator.name, unit: indicator.unit, group, value: f!.periodValue, cumulativeValue: f!.cumulativeValue });
    }
  }
  return { programmeId, groupBy: q.groupBy, from, to, asOf: q.asOf?.toISOString() ?? null, rows: groups };
}

/** Grouped by an attribute: PostgreSQL does the folding (see groupedAggregates); the window defaults to all data. */
async function sqlAggregation(pool: pg.Pool, programmeId: string, catalogue: Catalogue, q: { groupBy: SqlGroupBy; from?: string | undefined; to?: string | undefined; asOf?: Date | undefined }) {
  let { from, to } = q;
  if (!from || !to) {
    const range = (await pool.query<{ min: string | null; max: string | null }>(
      `select to_char(min(c.occurred_on), 'YYYY-MM-DD') as min, to_char(max(c.occurred_on), 'YYYY-MM-DD') as max
       from il_view_contributions c join il_view_projects p on p.project_id = c.project_id where p.programme_id = $1 and ${validAt('$2')}`,
      [programmeId, q.asOf ?? null],
    )).rows[0];
    to ??= range?.max ?? from ?? '9999-12-31';
    from ??= range?.min ?? to;
  }
  const byIndicator = await groupedAggregates(pool, programmeId, catalogue.indicators, { groupBy: q.groupBy, from, to, asOf: q.asOf });
  const rows = catalogue.indicators.flatMap((indicator) =>
    (byIndicator.get(indicator.code) ?? [])
      .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))
      .map((g) => ({ indicator: indicator.code, name: indicator.name, unit: indicator.unit, group: g.group, value: g.value, cumulativeValue: g.cumulativeValue })),
  );
  return { programmeId, groupBy: q.groupBy, from, to, asOf: q.asOf?.toISOString() ?? null, rows };
}

export function toCsv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    // Quote what CSV needs quoted, and defuse spreadsheet formulas in text cells.
    const safe = /^[=+\-@]/.test(s) && Number.isNaN(Number(s)) ? `'${s}` : s;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
