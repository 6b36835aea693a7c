import type pg from 'pg';
import { catalogueFromText } from './catalogueCache.js';
import { aggregate, elapsedShare, NotFoundError, periodContaining, reportingPeriods, type PeriodFigure } from '@il/domain';

export interface IndicatorQuery {
  periodId?: string | undefined;
  partner?: string | undefined;
  /** Answer with what was recorded up to this instant. */
  asOf?: Date | undefined;
  /** Calendar date "today" in the programme's time zone (for the default period and time elapsed). */
  today: string;
}

interface Row {
  partner: string;
  indicator: string;
  date: string;
  value: string;
  distinct_key: string | null;
}

/**
 * Progress of every indicator of a project for one period: period and cumulative values, target and % reached,
 * per-partner figures and the share of project time elapsed. Aggregation is the domain's reference fold over the
 * contributions valid at `asOf`, so views and unit-tested rules cannot disagree.
 */
export async function projectIndicators(pool: pg.Pool, projectId: string, q: IndicatorQuery) {
  const p = (await pool.query<{ start: string; end: string; months: number; catalogue: string }>(
    `select to_char(p.start_date, 'YYYY-MM-DD') as start, to_char(p.end_date, 'YYYY-MM-DD') as end, p.reporting_period_months as months, g.catalogue::text as catalogue
     from il_view_projects p join il_view_programmes g using (programme_id) where p.project_id = $1`,
    [projectId],
  )).rows[0];
  if (!p) throw new NotFoundError(`project ${projectId} not found (or not projected yet)`);
  const catalogue = catalogueFromText(p.catalogue);
  const periods = reportingPeriods(p.start, p.end, p.months);
  const period = q.periodId ? periods.find((x) => x.id === q.periodId) : (periodContaining(periods, q.today) ?? (q.today < p.start ? periods[0] : periods.at(-1)));
  if (!period) throw new NotFoundError(`project ${projectId} has no period ${q.periodId}`);

  const rows = (await pool.query<Row>(
    `select partner, indicator, to_char(occurred_on, 'YYYY-MM-DD') as date, value::text, distinct_key from il_view_contributions
     where project_id = $1 and ($2::timestamptz is null and valid_to is null or valid_from <= $2 and (valid_to is null or valid_to > $2))`,
    [projectId, q.asOf ?? null],
  )).rows.map((r) => ({ partner: r.partner, indicator: r.indicator, date: r.date, value: Number(r.value), ...(r.distinct_key === null ? {} : { distinctKey: r.distinct_key }) }));
  const targets = new Map((await pool.query<{ indicator: string; partner: string; value: string }>('select indicator, partner, value::text from il_view_targets where project_id = $1', [projectId])).rows.map((t) => [`${t.indicator}@${t.partner}`, Number(t.value)]));

  const at = (figures: PeriodFigure[]) => figures.find((f) => f.periodId === period.id)!;
  const elapsed = elapsedShare(p.start, p.end, q.today < period.end ? q.today : period.end);
  return {
    projectId,
    period,
    asOf: q.asOf?.toISOString() ?? null,
    elapsedShare: elapsed,
    indicators: catalogue.indicators.map((indicator) => {
      const facts = rows.filter((r) => r.indicator === indicator.code);
      const scoped = q.partner ? facts.filter((r) => r.partner === q.partner) : facts;
      const figure = at(aggregate(indicator.aggregation, scoped, periods));
      const target = targets.get(`${indicator.code}@${q.partner ?? ''}`) ?? null;
      const partners = [...new Set(facts.map((f) => f.partner))].sort();
      return {
        code: indicator.code,
        name: indicator.name,
        unit: indicator.unit,
        target,
        periodValue: figure.periodValue,
        cumulativeValue: figure.cumulativeValue,
        percentOfTarget: target && figure.cumulativeValue !== null ? Math.round((figure.cumulativeValue / target) * 10000) / 100 : null,
        byPartner: q.partner ? [] : partners.map((partner) => ({ partner, ...at(aggregate(indicator.aggregation, facts.filter((f) => f.partner === partner), periods)) })),
      };
    }),
  };
}
