import type pg from 'pg';
import { catalogueFromText } from './catalogueCache.js';
import { validAt } from './asOfCondition.js';
import { groupedAggregates } from './groupedAggregates.js';
import { elapsedShare, NotFoundError, periodContaining, reportingPeriods } from '@il/domain';
import type { IndicatorQuery, ProjectIndicators } from '../port/readModels.js';

/**
 * Progress of every indicator of a project for one period: period and cumulative values, target and % reached,
 * per-partner figures and the share of project time elapsed, folded by PostgreSQL over the contributions valid at
 * `asOf` with the same rules as the domain fold (tests compare the two).
 */
export async function projectIndicators(
  pool: pg.Pool,
  projectId: string,
  q: IndicatorQuery,
): Promise<ProjectIndicators> {
  const p = (
    await pool.query<{ start: string; end: string; months: number; catalogue: string }>(
      `select to_char(p.start_date, 'YYYY-MM-DD') as start, to_char(p.end_date, 'YYYY-MM-DD') as end, p.reporting_period_months as months, g.catalogue::text as catalogue
     from il_view_projects p join il_view_programmes g using (programme_id) where p.project_id = $1`,
      [projectId],
    )
  ).rows[0];
  if (!p) throw new NotFoundError(`project ${projectId} not found (or not projected yet)`);
  const catalogue = catalogueFromText(p.catalogue);
  const periods = reportingPeriods(p.start, p.end, p.months);
  const period = q.periodId
    ? periods.find((x) => x.id === q.periodId)
    : (periodContaining(periods, q.today) ?? (q.today < p.start ? periods[0] : periods.at(-1)));
  if (!period) throw new NotFoundError(`project ${projectId} has no period ${q.periodId}`);

  const targets = new Map(
    (
      await pool.query<{ indicator: string; partner: string; value: string }>(
        'select indicator, partner, value::text from il_view_targets where project_id = $1',
        [projectId],
      )
    ).rows.map((t) => [`${t.indicator}@${t.partner}`, Number(t.value)]),
  );

  const window = { from: period.start, to: period.end, asOf: q.asOf, projectId };
  const [totals, partnerFigures, partnersWithFacts] = await Promise.all([
    groupedAggregates(pool, null, catalogue.indicators, { ...window, groupBy: 'project', partner: q.partner }),
    q.partner
      ? Promise.resolve(new Map<string, { group: string; value: number | null; cumulativeValue: number | null }[]>())
      : groupedAggregates(pool, null, catalogue.indicators, { ...window, groupBy: 'partner' }),
    pool.query<{ indicator: string; partner: string }>(
      `select distinct c.indicator, c.partner from il_view_contributions c where c.project_id = $1 and ${validAt('$2')} order by 1, 2`,
      [projectId, q.asOf ?? null],
    ),
  ]);
  const elapsed = elapsedShare(p.start, p.end, q.today < period.end ? q.today : period.end);
  return {
    projectId,
    period,
    asOf: q.asOf?.toISOString() ?? null,
    elapsedShare: elapsed,
    indicators: catalogue.indicators.map((indicator) => {
      // Indicators or partners without contributions up to the period end still report: 0 for flows, null for stocks.
      const none = indicator.aggregation === 'max' || indicator.aggregation === 'latest' ? null : 0;
      const total = totals.get(indicator.code)?.[0];
      const periodValue = total ? total.value : none;
      const cumulativeValue = total ? total.cumulativeValue : none;
      const target = targets.get(`${indicator.code}@${q.partner ?? ''}`) ?? null;
      const byGroup = new Map(
        (partnerFigures.get(indicator.code) ?? []).map((g) => [g.group.slice(projectId.length + 1), g]),
      );
      const partners = partnersWithFacts.rows
        .filter((r) => r.indicator === indicator.code)
        .map((r) => r.partner)
        .sort();
      return {
        code: indicator.code,
        name: indicator.name,
        unit: indicator.unit,
        target,
        periodValue,
        cumulativeValue,
        percentOfTarget:
          target && cumulativeValue !== null ? Math.round((cumulativeValue / target) * 10000) / 100 : null,
        byPartner: q.partner
          ? []
          : partners.map((partner) => {
              const g = byGroup.get(partner);
              return {
                partner,
                periodId: period.id,
                periodValue: g ? g.value : none,
                cumulativeValue: g ? g.cumulativeValue : none,
              };
            }),
      };
    }),
  };
}
