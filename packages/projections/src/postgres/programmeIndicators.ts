import type pg from 'pg';
import { NotFoundError, textOf, type Catalogue } from '@il/domain';
import type { ProgrammeIndicators, ProgrammeQuery } from '../port/readModels.js';
import { referenceQueries } from '../reference/referenceQueries.js';
import { catalogueFromText } from './catalogueCache.js';
import { groupedAggregates, type SqlGroupBy } from './groupedAggregates.js';
import { postgresViewRows } from './postgresViewRows.js';
import { validAt } from './asOfCondition.js';

/**
 * Outputs across all projects of a programme, grouped. Distinct keys are made project-scoped (an object id is
 * unique within its project) and partners too, so stocks take each organisation's latest value and flows add up.
 * `value` is what occurred within from..to; `cumulativeValue` everything up to `to`. Calendar-period series are
 * folded by the reference queries; attribute groupings by PostgreSQL (tests compare both with the reference).
 */
export async function programmeIndicators(
  pool: pg.Pool,
  programmeId: string,
  q: ProgrammeQuery,
): Promise<ProgrammeIndicators> {
  const programme = (
    await pool.query<{ catalogue: string }>(
      'select catalogue::text as catalogue from il_view_programmes where programme_id = $1',
      [programmeId],
    )
  ).rows[0];
  if (!programme) throw new NotFoundError(`programme ${programmeId} not found (or not projected yet)`);
  if (q.groupBy === 'period') return referenceQueries(postgresViewRows(pool)).programmeIndicators(programmeId, q);
  return sqlAggregation(pool, programmeId, catalogueFromText(programme.catalogue), { ...q, groupBy: q.groupBy });
}

/** Grouped by an attribute: PostgreSQL does the folding (see groupedAggregates); the window defaults to all data. */
async function sqlAggregation(
  pool: pg.Pool,
  programmeId: string,
  catalogue: Catalogue,
  q: { groupBy: SqlGroupBy; from?: string | undefined; to?: string | undefined; asOf?: Date | undefined },
): Promise<ProgrammeIndicators> {
  let { from, to } = q;
  if (!from || !to) {
    const range = (
      await pool.query<{ min: string | null; max: string | null }>(
        `select to_char(min(c.occurred_on), 'YYYY-MM-DD') as min, to_char(max(c.occurred_on), 'YYYY-MM-DD') as max
       from il_view_contributions c join il_view_projects p on p.project_id = c.project_id where p.programme_id = $1 and ${validAt('$2')}`,
        [programmeId, q.asOf ?? null],
      )
    ).rows[0];
    to ??= range?.max ?? from ?? '9999-12-31';
    from ??= range?.min ?? to;
  }
  const byIndicator = await groupedAggregates(pool, programmeId, catalogue.indicators, {
    groupBy: q.groupBy,
    from,
    to,
    asOf: q.asOf,
  });
  const rows = catalogue.indicators.flatMap((indicator) =>
    (byIndicator.get(indicator.code) ?? [])
      .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))
      .map((g) => ({
        indicator: indicator.code,
        name: indicator.name,
        unit: indicator.unit,
        group: g.group,
        value: g.value,
        cumulativeValue: g.cumulativeValue,
      })),
  );
  return { programmeId, groupBy: q.groupBy, from, to, asOf: q.asOf?.toISOString() ?? null, rows };
}

export function toCsv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : textOf(v);
    // Quote what CSV needs quoted, and defuse spreadsheet formulas in text cells.
    const safe = /^[=+\-@]/.test(s) && Number.isNaN(Number(s)) ? `'${s}` : s;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
