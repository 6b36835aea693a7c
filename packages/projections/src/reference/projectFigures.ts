import {
  aggregate,
  elapsedShare,
  NotFoundError,
  periodContaining,
  reportingPeriods,
  type Catalogue,
  type Period,
  type PeriodFigure,
} from '@il/domain';
import type { IndicatorQuery, ProjectIndicators } from '../port/readModels.js';
import type { ContributionRow, ProjectRow, TargetRow } from './viewRows.js';

/**
 * Every figure of one project — per reporting period, for the project and for each partner — computed once from its
 * contributions. Any project query (period, partner, today) is then a lookup: the reference answers with it, and
 * the PostgreSQL adapter keeps it per project as a cache of the live state.
 */
export interface ProjectFigures {
  periods: Period[];
  indicators: {
    code: string;
    name: string;
    unit: string;
    stock: boolean;
    total: PeriodFigure[];
    /** Partners with contributions (at any date), sorted; their figures per period. */
    byPartner: [string, PeriodFigure[]][];
  }[];
  /** `indicator@partner` (partner empty for project-level targets) → value. */
  targets: [string, number][];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What the figures are computed from: a live contribution's indicator, partner, date, value and distinct key. */
export type FigureContribution = Pick<ContributionRow, 'indicator' | 'partner' | 'date' | 'value' | 'distinctKey'>;

type Fact = Parameters<typeof aggregate>[1][number];

export function computeProjectFigures(
  project: ProjectRow,
  catalogue: Catalogue,
  targets: TargetRow[],
  contributions: FigureContribution[],
): ProjectFigures {
  const periods = reportingPeriods(project.startDate, project.endDate, project.reportingPeriodMonths);
  // One pass groups the contributions by indicator and partner, keeping the order they were recorded in (the folds
  // depend on it); filtering the whole list again for each indicator and partner was most of this function's time.
  const byIndicator = new Map<string, { all: Fact[]; byPartner: Map<string, Fact[]> }>();
  for (const c of contributions) {
    let group = byIndicator.get(c.indicator);
    if (!group) byIndicator.set(c.indicator, (group = { all: [], byPartner: new Map() }));
    const fact: Fact =
      c.distinctKey === null
        ? { partner: c.partner, date: c.date, value: c.value }
        : { partner: c.partner, date: c.date, value: c.value, distinctKey: c.distinctKey };
    group.all.push(fact);
    const mine = group.byPartner.get(c.partner);
    if (mine) mine.push(fact);
    else group.byPartner.set(c.partner, [fact]);
  }
  return {
    periods,
    targets: targets.map((t) => [`${t.indicator}@${t.partner}`, t.value]),
    indicators: catalogue.indicators.map((indicator) => {
      const group = byIndicator.get(indicator.code);
      const partners = group ? [...group.byPartner.keys()].sort(byText) : [];
      return {
        code: indicator.code,
        name: indicator.name,
        unit: indicator.unit,
        stock: indicator.aggregation === 'max' || indicator.aggregation === 'latest',
        total: aggregate(indicator.aggregation, group?.all ?? [], periods),
        byPartner: partners.map((partner): [string, PeriodFigure[]] => [
          partner,
          aggregate(indicator.aggregation, group!.byPartner.get(partner)!, periods),
        ]),
      };
    }),
  };
}

/** The answer to one project query from the project's figures. */
export function answerFromFigures(project: ProjectRow, figures: ProjectFigures, q: IndicatorQuery): ProjectIndicators {
  const { periods } = figures;
  const period = q.periodId
    ? periods.find((x) => x.id === q.periodId)
    : (periodContaining(periods, q.today) ?? (q.today < project.startDate ? periods[0] : periods.at(-1)));
  if (!period) throw new NotFoundError(`project ${project.projectId} has no period ${q.periodId}`);
  const at = periods.indexOf(period);
  const targets = new Map(figures.targets);
  return {
    projectId: project.projectId,
    period,
    asOf: q.asOf?.toISOString() ?? null,
    elapsedShare: elapsedShare(project.startDate, project.endDate, q.today < period.end ? q.today : period.end),
    indicators: figures.indicators.map((i) => {
      // A partner without contributions still reports: 0 for flows, null for stocks.
      const none = { periodId: period.id, periodValue: i.stock ? null : 0, cumulativeValue: i.stock ? null : 0 };
      const total = q.partner ? (i.byPartner.find(([p]) => p === q.partner)?.[1][at] ?? none) : i.total[at]!;
      const target = targets.get(`${i.code}@${q.partner ?? ''}`) ?? null;
      return {
        code: i.code,
        name: i.name,
        unit: i.unit,
        target,
        periodValue: total.periodValue,
        cumulativeValue: total.cumulativeValue,
        percentOfTarget:
          target && total.cumulativeValue !== null ? Math.round((total.cumulativeValue / target) * 10000) / 100 : null,
        byPartner: q.partner
          ? []
          : i.byPartner.map(([partner, f]) => ({
              partner,
              periodId: period.id,
              periodValue: f[at]!.periodValue,
              cumulativeValue: f[at]!.cumulativeValue,
            })),
      };
    }),
  };
}
