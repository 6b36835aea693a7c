import type pg from 'pg';
import type { Aggregation } from '@il/domain';
import type { PartRow } from '../partTotals.js';
import { validAt } from './asOfCondition.js';

export type SqlGroupBy = 'priority' | 'specificObjective' | 'country' | 'region' | 'partner' | 'project';

const groupExpression: Record<SqlGroupBy, string> = {
  priority: 'p.priority',
  specificObjective: 'p.specific_objective',
  country: "coalesce(pa.country, 'unknown')",
  region: "coalesce(pa.nuts3, 'unknown')",
  partner: "c.project_id || '/' || c.partner",
  project: 'c.project_id',
};

/** Per aggregation: SQL over `base` (indicator, g, project_id, partner, occurred_on, value, distinct_key, id) giving (indicator, g, value, cumulative). */
const folds: Record<Aggregation, string> = {
  sum: `select indicator, g, sum(value) filter (where occurred_on >= $from) as value, sum(value) as cumulative from base group by 1, 2`,
  count: `select indicator, g, sum(value) filter (where occurred_on >= $from) as value, sum(value) as cumulative from base group by 1, 2`,
  max: `select indicator, g, max(value) filter (where occurred_on >= $from) as value, max(value) as cumulative from base group by 1, 2`,
  'count-distinct': `select indicator, g, count(*) filter (where first >= $from) as value, count(*) as cumulative
    from (select indicator, g, project_id, distinct_key, min(occurred_on) as first from base group by 1, 2, 3, 4) keys group by 1, 2`,
  // Stocks: each organisation's latest value (the later recorded wins a tie), summed across organisations.
  latest: `select coalesce(w.indicator, a.indicator) as indicator, coalesce(w.g, a.g) as g, w.value, a.cumulative
    from (select indicator, g, sum(value) as cumulative from (select distinct on (indicator, g, project_id, partner) indicator, g, value
            from base order by indicator, g, project_id, partner, occurred_on desc, id desc) l group by 1, 2) a
    left join (select indicator, g, sum(value) as value from (select distinct on (indicator, g, project_id, partner) indicator, g, value
            from base where occurred_on >= $from order by indicator, g, project_id, partner, occurred_on desc, id desc) l group by 1, 2) w
      on w.indicator = a.indicator and w.g = a.g`,
};

export interface AggregateWindow {
  groupBy: SqlGroupBy;
  from: string;
  to: string;
  asOf?: Date | undefined;
  projectId?: string | undefined;
  partner?: string | undefined;
  /** Only these projects' contributions. */
  projectIds?: readonly string[] | undefined;
  /** Each group split by project: `g` is then the group and the project id joined by `projectSeparator`. */
  perProject?: boolean | undefined;
}

/** Separates group and project in `g` of a per-project aggregation (no group value or project id contains it). */
export const projectSeparator = '\u001f';

/** One aggregated row as PostgreSQL gives it: exact numeric text, null where the fold has no value. */
export type AggregateRow = PartRow;

/**
 * The programme aggregation computed by PostgreSQL: the same rules as the domain fold (which tests compare it with),
 * without shipping every contribution to the query process. Rows ordered by indicator and group.
 */
export async function groupedAggregateRows(
  pool: pg.Pool,
  programmeId: string | null,
  indicators: { code: string; aggregation: Aggregation }[],
  q: AggregateWindow,
): Promise<AggregateRow[]> {
  const kinds = [...new Set(indicators.map((i) => i.aggregation))];
  if (kinds.length === 0) return [];
  // Joins only where the grouping or the programme filter needs them: a project's query touches its own rows only
  // (the partners' too: PostgreSQL does not carry `= any(...)` across the join by itself).
  const needsProject = programmeId !== null || q.groupBy === 'priority' || q.groupBy === 'specificObjective';
  const needsPartner = q.groupBy === 'country' || q.groupBy === 'region';
  const group = q.perProject
    ? `(${groupExpression[q.groupBy]}) || chr(31) || c.project_id`
    : groupExpression[q.groupBy];
  // One statement for every aggregation kind, a branch each with its own filtered scan (no shared CTE: a
  // programme-wide one would be materialised whole): one round trip instead of one per kind.
  const params: unknown[] = [
    programmeId,
    q.from,
    q.to,
    q.asOf ?? null,
    q.projectId ?? null,
    q.partner ?? null,
    q.projectIds ?? null,
  ];
  const branches = kinds.map((kind, k) => {
    params.push(indicators.filter((i) => i.aggregation === kind).map((i) => i.code));
    const base = `select c.id, c.indicator, ${group} as g, c.project_id, c.partner, c.occurred_on, c.value, c.distinct_key
      from il_view_contributions c
      ${needsProject ? 'join il_view_projects p on p.project_id = c.project_id' : ''}
      ${needsPartner ? `left join il_view_partners pa on pa.project_id = c.project_id and pa.partner_code = c.partner${q.projectIds ? ' and pa.project_id = any($7::text[])' : ''}` : ''}
      where (${needsProject ? '$1::text is null or p.programme_id = $1' : '$1::text is null'}) and ($5::text is null or c.project_id = $5) and ($6::text is null or c.partner = $6)
        and ($7::text[] is null or c.project_id = any($7::text[]))
        and c.indicator = any($${params.length}::text[]) and c.occurred_on <= $3::date and ${validAt('$4')}`;
    const fold = folds[kind].replaceAll('$from', '$2::date').replaceAll('from base', `from base_${k}`);
    return { kind, cte: `base_${k} as (${base})`, sql: `select ${k} as kind, f.* from (${fold}) f` };
  });
  const sql = `with ${branches.map((b) => b.cte).join(',\n    ')}
    ${branches.map((b) => b.sql).join('\n    union all\n    ')}
    order by 2, 3`;
  const rows = (
    await pool.query<{ kind: number; indicator: string; g: string; value: string | null; cumulative: string | null }>(
      sql,
      params,
    )
  ).rows;
  return rows.map((r) => ({
    aggregation: branches[r.kind]!.kind,
    indicator: r.indicator,
    g: r.g,
    value: r.value,
    cumulative: r.cumulative,
  }));
}

/** A group with facts only before `from` still reports 0 in the window for flows, as the fold does. */
export function windowValue(aggregation: Aggregation, value: string | null): number | null {
  return value === null ? (aggregation === 'max' || aggregation === 'latest' ? null : 0) : Number(value);
}

/** groupedAggregateRows as numbers, by indicator. */
export async function groupedAggregates(
  pool: pg.Pool,
  programmeId: string | null,
  indicators: { code: string; aggregation: Aggregation }[],
  q: AggregateWindow,
): Promise<Map<string, { group: string; value: number | null; cumulativeValue: number | null }[]>> {
  const out = new Map<string, { group: string; value: number | null; cumulativeValue: number | null }[]>();
  for (const r of await groupedAggregateRows(pool, programmeId, indicators, q)) {
    const list = out.get(r.indicator) ?? [];
    list.push({
      group: r.g,
      value: windowValue(r.aggregation, r.value),
      cumulativeValue: r.cumulative === null ? null : Number(r.cumulative),
    });
    out.set(r.indicator, list);
  }
  return out;
}
