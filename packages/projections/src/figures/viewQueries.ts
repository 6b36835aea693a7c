import {
  addMonths,
  calendarPeriodBounds,
  calendarPeriodId,
  elapsedShare,
  NotFoundError,
  periodContaining,
  reportingPeriods,
  type Aggregation,
  type Catalogue,
  type Period,
} from '@il/domain';
import type {
  Basis,
  BehindTarget,
  Granularity,
  IndicatorEvidence,
  ProgrammeIndicators,
  ProgrammeScope,
  ProjectIndicators,
  ProjectSummary,
  ViewQueries,
} from '../port/readModels.js';
import type { ProjectRow, ReportRow } from '../reference/viewRows.js';
import type { Cuts, EvidenceRow, FigureReads, MonthStats } from './figureReads.js';
import { rulesOf } from './cells.js';
import { combineWindows, figureOf, isStock, projectStatsOf, type CellStats, type WindowStats } from './windowStats.js';
import { basisReportOf, reportQueries } from './reportQueries.js';
import { transmissionQueries } from './transmissionQueries.js';
import { projectEnds, projectLevelTargets, statsByProject } from './perProject.js';
import { exactSum } from '@il/domain';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const stepMonths: Record<Granularity, number> = { month: 1, quarter: 3, 'half-year': 6, year: 12 };

export function calendarPeriods(from: string, to: string, granularity: Granularity): Period[] {
  const out: Period[] = [];
  for (
    let start = calendarPeriodBounds(calendarPeriodId(from, granularity))!.start;
    start <= to;
    start = addMonths(start, stepMonths[granularity])
  ) {
    out.push(calendarPeriodBounds(calendarPeriodId(start, granularity))!);
  }
  return out;
}

/** The period a project question is about: the one asked for, else the one containing today (clamped to the project). */
export function selectPeriod(project: ProjectRow, periodId: string | undefined, today: string): Period {
  const periods = reportingPeriods(project.startDate, project.endDate, project.reportingPeriodMonths);
  const period = periodId
    ? periods.find((x) => x.id === periodId)
    : (periodContaining(periods, today) ?? (today < project.startDate ? periods[0] : periods.at(-1)));
  if (!period) throw new NotFoundError(`project ${project.projectId} has no period ${periodId}`);
  return period;
}

export const percentOf = (value: number | null, target: number | null): number | null =>
  target && value !== null ? Math.round((value / target) * 10000) / 100 : null;

/** Indicators with a project-level target whose achieved share is below `threshold` × the share of time elapsed. */
export function laggingIndicators(
  achieved: { code: string; target: number | null; cumulativeValue: number | null }[],
  threshold: number,
  elapsed: number,
): BehindTarget['projects'][number]['indicators'] {
  return achieved
    .filter((i) => i.target !== null && i.target > 0)
    .map((i) => ({
      code: i.code,
      target: i.target,
      achieved: i.cumulativeValue ?? 0,
      achievedShare: (i.cumulativeValue ?? 0) / i.target!,
    }))
    .filter((i) => i.achievedShare < threshold * elapsed);
}

/**
 * Which evidence rows make the figure, per rule, so that their counted values add up to it: every row of a flow; a
 * distinct key's first live occurrence in the project (1 each); the largest row of a max (the first recorded of
 * equals); each partner's latest row of a stock (the latest date, of that date the last recorded).
 */
export function countedRows(
  aggregation: Aggregation,
  rows: readonly EvidenceRow[],
): { counted: boolean; value: number }[] {
  const only = (chosen: Set<number>) =>
    rows.map((r, i) => (chosen.has(i) ? { counted: true, value: r.value } : { counted: false, value: 0 }));
  switch (aggregation) {
    case 'sum':
    case 'count':
      return rows.map((r) => ({ counted: true, value: r.value }));
    case 'count-distinct':
      return rows.map((r) => ({ counted: r.first, value: r.first ? 1 : 0 }));
    case 'max': {
      let top = -1;
      rows.forEach((r, i) => {
        if (top < 0 || r.value > rows[top]!.value) top = i;
      });
      return only(new Set(top < 0 ? [] : [top]));
    }
    case 'latest': {
      const latest = new Map<string, number>();
      rows.forEach((r, i) => {
        const seen = latest.get(r.partner);
        const s = seen === undefined ? undefined : rows[seen]!;
        if (!s || r.date > s.date || (r.date === s.date && r.order > s.order)) latest.set(r.partner, i);
      });
      return only(new Set(latest.values()));
    }
  }
}

/**
 * Every query of the read-model port, answered from an engine's reads of the maintained cells (FigureReads). The
 * answer rules — which period, what a stock without reports is, percent of target, default windows, how a group's
 * figure comes from its cells — are written here once for every engine.
 */
export function viewQueries(reads: FigureReads): ViewQueries {
  async function projectWithCatalogue(
    projectId: string,
    asOf: Date | undefined,
  ): Promise<{ project: ProjectRow; catalogue: Catalogue }> {
    const project = await reads.project(projectId, asOf);
    const catalogue = project && (await reads.catalogue(project.programmeId));
    if (!project || !catalogue) throw new NotFoundError(`project ${projectId} not found (or not projected yet)`);
    return { project, catalogue };
  }

  async function programmeCatalogue(programmeId: string): Promise<Catalogue> {
    const catalogue = await reads.catalogue(programmeId);
    if (!catalogue) throw new NotFoundError(`programme ${programmeId} not found (or not projected yet)`);
    return catalogue;
  }

  async function programmeScope(programmeId: string): Promise<ProgrammeScope | undefined> {
    const [timeZone, catalogue] = await Promise.all([reads.timeZone(programmeId), reads.catalogue(programmeId)]);
    if (!timeZone || !catalogue) return undefined;
    return { programmeId, timeZone, indicators: catalogue.indicators.map((i) => i.code) };
  }

  /** On a report basis, each project of the programme cut at its basis report (see basisReportOf). */
  /** `projects`: the programme's, when the caller has read them already (a project without reports has no cut). */
  async function cutsOf(
    programmeId: string,
    basis: Basis,
    asOf: Date | undefined,
    projects?: readonly ProjectRow[],
  ): Promise<Cuts | undefined> {
    if (basis === 'recorded') return undefined;
    const list = projects ?? (await reads.projects(programmeId));
    const rows = await reads.reports(list.map((p) => p.projectId));
    const byProject = new Map<string, ReportRow[]>();
    for (const r of rows) {
      const mine = byProject.get(r.projectId);
      if (mine) mine.push(r);
      else byProject.set(r.projectId, [r]);
    }
    const cuts = new Map<string, { asOf: Date; to: string }>();
    for (const [projectId, list] of byProject) {
      const report = basisReportOf(list, basis, asOf);
      if (report) cuts.set(projectId, { asOf: report.at, to: report.periodEnd });
    }
    return cuts;
  }

  const queries: ViewQueries = {
    async projectProgramme(projectId) {
      return (await reads.project(projectId))?.programmeId;
    },

    programmeScope,

    listProgrammes: () => reads.programmes(),

    async listProjects(programmeId, q) {
      const projects = (await reads.projects(programmeId)).sort((a, b) => byText(a.projectId, b.projectId));
      const partners = await reads.partners(projects.map((p) => p.projectId));
      const countries = new Map<string, Set<string>>();
      for (const p of partners) countries.set(p.projectId, (countries.get(p.projectId) ?? new Set()).add(p.country));
      return projects
        .map((p): ProjectSummary => ({
          projectId: p.projectId,
          priority: p.priority,
          specificObjective: p.specificObjective,
          startDate: p.startDate,
          endDate: p.endDate,
          countries: [...(countries.get(p.projectId) ?? [])].sort(byText),
          status: q.today < p.startDate ? 'not-started' : q.today > p.endDate ? 'ended' : 'running',
        }))
        .filter(
          (p) =>
            (q.priority === undefined || p.priority === q.priority) &&
            (q.specificObjective === undefined || p.specificObjective === q.specificObjective) &&
            (q.country === undefined || p.countries.includes(q.country)) &&
            (q.status === undefined || p.status === q.status),
        );
    },

    async projectScope(projectId) {
      const project = await reads.project(projectId);
      const scope = project && (await programmeScope(project.programmeId));
      if (!project || !scope) return undefined;
      const partners = (await reads.partners([projectId])).map((p) => p.partnerCode).sort(byText);
      return { ...scope, projectId, partners };
    },

    async projectIndicators(projectId, q): Promise<ProjectIndicators> {
      const basis = q.basis ?? 'recorded';
      // As of an instant, the contract as recorded then: its end date (so its periods and the time elapsed) and
      // targets. On the recorded basis the cells come with it, in one read; on a report basis they are read as of
      // the report's submission, once the reports have said which one.
      const recorded = basis === 'recorded' ? await reads.projectContextWithCells(projectId, q.asOf) : undefined;
      const [context, reportRows] = recorded
        ? [recorded, []]
        : await Promise.all([reads.projectContext(projectId, q.asOf), reads.reports([projectId])]);
      if (!context) throw new NotFoundError(`project ${projectId} not found (or not projected yet)`);
      const { project, catalogue, targets } = context;
      const period = selectPeriod(project, q.periodId, q.today);
      // On a report basis, the figures as recorded when that report was submitted, up to the end of its period.
      const report = basis === 'recorded' ? null : basisReportOf(reportRows, basis, q.asOf);
      const to = report && report.periodEnd < period.end ? report.periodEnd : period.end;
      const reported = basis === 'recorded' || (report !== null && period.start <= report.periodEnd);
      const cells = recorded ? recorded.cells : report ? await reads.projectCells(projectId, report.at) : [];
      const stats = projectStatsOf(cells, period.start, to);
      const target = new Map(targets.map((t) => [`${t.indicator}@${t.partner}`, t.value]));
      const byIndicator = new Map<string, { partner: string; stats: WindowStats }[]>();
      for (const s of stats) byIndicator.set(s.indicator, [...(byIndicator.get(s.indicator) ?? []), s]);
      // No report on the basis: no number at all (not a zero); a period after the report's: no period value.
      const orNone = (v: number | null, inReport: boolean) =>
        basis !== 'recorded' && (!report || !inReport) ? null : v;
      return {
        projectId,
        period,
        asOf: q.asOf?.toISOString() ?? null,
        basis,
        basisReport: report && {
          periodId: report.periodId,
          submittedAt: report.at.toISOString(),
          periodEnd: report.periodEnd,
        },
        elapsedShare: elapsedShare(project.startDate, project.endDate, q.today < period.end ? q.today : period.end),
        indicators: catalogue.indicators.map((indicator) => {
          const partners = (byIndicator.get(indicator.code) ?? []).sort((a, b) => byText(a.partner, b.partner));
          const mine = q.partner ? partners.filter((p) => p.partner === q.partner) : partners;
          const total = combineWindows(mine.map((p) => p.stats));
          const periodValue = orNone(figureOf(indicator.aggregation, total.period), reported);
          const cumulativeValue = orNone(figureOf(indicator.aggregation, total.cumulative), true);
          const t = target.get(`${indicator.code}@${q.partner ?? ''}`) ?? null;
          return {
            code: indicator.code,
            name: indicator.name,
            unit: indicator.unit,
            target: t,
            periodValue,
            cumulativeValue,
            percentOfTarget: percentOf(cumulativeValue, t),
            byPartner: q.partner
              ? []
              : partners.map((p) => ({
                  partner: p.partner,
                  periodId: period.id,
                  periodValue: orNone(figureOf(indicator.aggregation, p.stats.period), reported),
                  cumulativeValue: orNone(figureOf(indicator.aggregation, p.stats.cumulative), true),
                })),
          };
        }),
      };
    },

    async indicatorEvidence(projectId, code, q): Promise<IndicatorEvidence> {
      const { project, catalogue } = await projectWithCatalogue(projectId, q.asOf);
      const indicator = catalogue.indicators.find((i) => i.code === code);
      const period = q.periodId
        ? selectPeriod(project, q.periodId, project.startDate)
        : { id: 'all', start: project.startDate, end: project.endDate };
      const rows = (await reads.evidence(projectId, code, q.asOf)).filter(
        (r) => r.date >= period.start && r.date <= period.end,
      );
      // Within a date, recorded order.
      rows.sort((a, b) => byText(a.date, b.date) || a.order - b.order);
      const counted = indicator
        ? countedRows(indicator.aggregation, rows)
        : rows.map(() => ({ counted: false, value: 0 }));
      const value = !indicator
        ? null
        : rows.length === 0 && isStock(indicator.aggregation)
          ? null
          : exactSum(counted.map((c) => c.value));
      return {
        projectId,
        indicator: code,
        period,
        asOf: q.asOf?.toISOString() ?? null,
        value,
        events: rows.map((r, i) => ({
          outputEventId: r.outputEventId,
          sourceEventId: r.sourceEventId,
          type: r.sourceType,
          partner: r.partner,
          date: r.date,
          value: r.value,
          ...(r.distinctKey === null ? {} : { distinctKey: r.distinctKey }),
          recordedAt: r.recordedAt.toISOString(),
          counted: counted[i]!.counted,
          countedValue: counted[i]!.value,
        })),
      };
    },

    async programmeIndicators(programmeId, q): Promise<ProgrammeIndicators> {
      const catalogue = await programmeCatalogue(programmeId);
      const basis = q.basis ?? 'recorded';
      const cuts = await cutsOf(programmeId, basis, q.asOf);
      const row = (
        indicator: Catalogue['indicators'][number],
        group: string,
        f: { value: number | null; cumulativeValue: number | null },
      ) => ({ indicator: indicator.code, name: indicator.name, unit: indicator.unit, group, ...f });
      const rows: ProgrammeIndicators['rows'] = [];
      let { from, to } = q;
      if (q.groupBy === 'period') {
        const range = await reads.cellRange(programmeId, q.asOf, to, cuts);
        from ??= range?.first ?? to ?? '9999-12-31';
        to ??= range?.last ?? from;
        const end = to >= from ? to : from;
        const granularity = q.granularity ?? 'year';
        // No cell and no window asked for: no period (and none to compute from the placeholder dates).
        const periods = range || q.from || q.to ? calendarPeriods(from, end, granularity) : [];
        const stocks = catalogue.indicators.filter((i) => i.aggregation === 'latest').map((i) => i.code);
        const months = await reads.monthStats(programmeId, to, q.asOf, stocks, cuts);
        for (const indicator of catalogue.indicators) {
          const mine = months.filter((m) => m.indicator === indicator.code);
          if (mine.length === 0 && !q.from) continue;
          for (const f of seriesOf(indicator.aggregation, mine, periods, granularity))
            rows.push(row(indicator, f.periodId, { value: f.value, cumulativeValue: f.cumulativeValue }));
        }
        return { programmeId, groupBy: q.groupBy, from, to, asOf: q.asOf?.toISOString() ?? null, basis, rows };
      }
      // The dates of all cells: the default window, and what lets an engine see the window holds every cell.
      const everything = await reads.cellRange(programmeId, q.asOf, undefined, cuts);
      to ??= everything?.last ?? from ?? '9999-12-31';
      from ??= everything?.first ?? to;
      const groups = await reads.groupStats(
        programmeId,
        q.groupBy,
        { from, to, asOf: q.asOf, range: everything, cuts },
        rulesOf(catalogue),
      );
      for (const indicator of catalogue.indicators) {
        for (const g of groups.filter((x) => x.indicator === indicator.code).sort((a, b) => byText(a.group, b.group)))
          rows.push(
            row(indicator, g.group, {
              value: figureOf(indicator.aggregation, g.stats.period),
              cumulativeValue: figureOf(indicator.aggregation, g.stats.cumulative),
            }),
          );
      }
      return { programmeId, groupBy: q.groupBy, from, to, asOf: q.asOf?.toISOString() ?? null, basis, rows };
    },

    async projectsBehindTarget(programmeId, q): Promise<BehindTarget> {
      const catalogue = await programmeCatalogue(programmeId);
      const projects = (await reads.projects(programmeId, q.asOf)).sort((a, b) => byText(a.projectId, b.projectId));
      // Achieved: everything up to the end of the period of today (of the project's last day once it has ended).
      const basis = q.basis ?? 'recorded';
      const cuts = await cutsOf(programmeId, basis, q.asOf, projects);
      // On a report basis a project counts what its report stated (nothing without one), as of its submission.
      const ends = projectEnds(
        projects,
        cuts,
        (p) => selectPeriod(p, undefined, q.today < p.endDate ? q.today : p.endDate).end,
      );
      const [stats, targets] = await Promise.all([
        reads.cumulativeStats(ends, q.asOf),
        reads.projectTargets(
          projects.map((p) => p.projectId),
          q.asOf,
        ),
      ]);
      const byProject = statsByProject(stats);
      const projectTargets = projectLevelTargets(targets);
      const out: BehindTarget['projects'] = [];
      projects.forEach((p) => {
        const elapsed = elapsedShare(p.startDate, p.endDate, q.today);
        const lagging = laggingIndicators(
          catalogue.indicators.map((indicator) => {
            const s = byProject.get(p.projectId)?.get(indicator.code);
            return {
              code: indicator.code,
              target: projectTargets.get(p.projectId)?.get(indicator.code) ?? null,
              cumulativeValue: s ? figureOf(indicator.aggregation, s) : isStock(indicator.aggregation) ? null : 0,
            };
          }),
          q.threshold,
          elapsed,
        );
        if (lagging.length > 0) out.push({ projectId: p.projectId, elapsedShare: elapsed, indicators: lagging });
      });
      return { programmeId, threshold: q.threshold, today: q.today, basis, projects: out };
    },

    ...reportQueries(reads),
    ...transmissionQueries(reads, cutsOf),
  };
  return queries;
}

/**
 * A calendar series from month stats: each period's value from the months in it; the cumulative value from every
 * month up to its end (flows add up, max takes the largest, a stock each organisation's latest month).
 */
function seriesOf(
  aggregation: Aggregation,
  months: readonly MonthStats[],
  periods: readonly Period[],
  granularity: Granularity,
) {
  const bucket = (m: MonthStats) => calendarPeriodId(`${m.month}-01`, granularity);
  const sorted = [...months].sort((a, b) => byText(a.month, b.month));
  return periods.map((p) => {
    const within = sorted.filter((m) => bucket(m) === p.id);
    const upTo = sorted.filter((m) => `${m.month}-01` <= p.end);
    const stats = (list: readonly MonthStats[]): CellStats => {
      if (list.length === 0) return { sum: null, max: null, latest: null };
      const latest = new Map<string, number>();
      for (const m of list) if (m.latest !== null) latest.set(m.org, m.latest);
      return {
        sum: exactSum(list.map((m) => m.sum)),
        max: Math.max(...list.map((m) => m.max)),
        latest: latest.size ? exactSum(latest.values()) : null,
      };
    };
    return {
      periodId: p.id,
      value: figureOf(aggregation, stats(within)),
      cumulativeValue: figureOf(aggregation, stats(upTo)),
    };
  });
}

/** Every query of the port by name; a Record, so a query added to the port and not here does not compile. */
const queryNames: Record<keyof ViewQueries, true> = {
  projectProgramme: true,
  programmeScope: true,
  projectScope: true,
  listProgrammes: true,
  listProjects: true,
  projectIndicators: true,
  indicatorEvidence: true,
  programmeIndicators: true,
  projectsBehindTarget: true,
  projectReports: true,
  projectReport: true,
  reportSubmission: true,
  changesSinceReport: true,
  transmissionTables: true,
};

/**
 * The queries answered by whichever ViewQueries `current` gives at the time of each call: engines whose answers
 * change object (a rebuild's new generation, a new in-memory copy) delegate through it.
 */
export function delegatedQueries(current: () => ViewQueries | Promise<ViewQueries>): ViewQueries {
  const entries = (Object.keys(queryNames) as (keyof ViewQueries)[]).map((name) => [
    name,
    async (...args: unknown[]) => {
      const q = await current();
      return (q[name] as (...a: unknown[]) => Promise<unknown>)(...args);
    },
  ]);
  return Object.fromEntries(entries) as ViewQueries;
}
