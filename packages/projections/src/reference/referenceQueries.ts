import {
  addMonths,
  aggregate,
  calendarPeriodBounds,
  calendarPeriodId,
  elapsedShare,
  NotFoundError,
  reportingPeriods,
  type Catalogue,
  type Period,
} from '@il/domain';
import type {
  BehindTarget,
  Granularity,
  IndicatorEvidence,
  ProgrammeIndicators,
  ProgrammeQuery,
  ProgrammeScope,
  ProjectIndicators,
  ProjectSummary,
  ViewQueries,
} from '../port/readModels.js';
import type { ContributionRow, PartnerRow, ProjectRow, ViewRowsReader } from './viewRows.js';
import { answerFromFigures, computeProjectFigures } from './projectFigures.js';

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

const isStock = (aggregation: string) => aggregation === 'max' || aggregation === 'latest';
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Fact {
  row: ContributionRow;
  project: ProjectRow;
  partnerRow: PartnerRow | undefined;
  partner: string;
  date: string;
  value: number;
  distinctKey?: string;
}

type AttributeGroup = Exclude<ProgrammeQuery['groupBy'], 'period'>;
const keyOf: Record<AttributeGroup, (f: Fact) => string> = {
  priority: (f) => f.project.priority,
  specificObjective: (f) => f.project.specificObjective,
  country: (f) => f.partnerRow?.country ?? 'unknown',
  region: (f) => f.partnerRow?.nuts3 ?? 'unknown',
  partner: (f) => `${f.row.projectId}/${f.row.partner}`,
  project: (f) => f.row.projectId,
};

/** One evidence line of a contribution. */
export function evidenceOf(r: ContributionRow): IndicatorEvidence['events'][number] {
  return {
    outputEventId: r.outputEventId,
    sourceEventId: r.sourceEventId,
    type: r.sourceType,
    partner: r.partner,
    date: r.date,
    value: r.value,
    ...(r.distinctKey === null ? {} : { distinctKey: r.distinctKey }),
    recordedAt: r.validFrom.toISOString(),
  };
}

/** Indicators with a project-level target whose achieved share is below `threshold` × the share of time elapsed. */
export function laggingIndicators(
  figures: ProjectIndicators,
  threshold: number,
  elapsed: number,
): BehindTarget['projects'][number]['indicators'] {
  return figures.indicators
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
 * The queries computed in this process with the domain's aggregate() over plain view rows: the reference the
 * PostgreSQL SQL folds are tested against, and how adapters without a SQL engine (MongoDB) answer.
 */
export function referenceQueries(reader: ViewRowsReader): ViewQueries {
  async function projectWithCatalogue(projectId: string): Promise<{ project: ProjectRow; catalogue: Catalogue }> {
    const project = await reader.project(projectId);
    const catalogue = project && (await reader.catalogue(project.programmeId));
    if (!project || !catalogue) throw new NotFoundError(`project ${projectId} not found (or not projected yet)`);
    return { project, catalogue };
  }

  async function projectIndicators(
    projectId: string,
    q: Parameters<ViewQueries['projectIndicators']>[1],
  ): Promise<ProjectIndicators> {
    const { project, catalogue } = await projectWithCatalogue(projectId);
    const [targets, contributions] = await Promise.all([
      reader.targets(projectId),
      reader.contributions({ projectId, asOf: q.asOf }),
    ]);
    return answerFromFigures(project, computeProjectFigures(project, catalogue, targets, contributions), q);
  }

  async function programmeScope(programmeId: string): Promise<ProgrammeScope | undefined> {
    const [timeZone, catalogue] = await Promise.all([reader.timeZone(programmeId), reader.catalogue(programmeId)]);
    if (!timeZone || !catalogue) return undefined;
    return { programmeId, timeZone, indicators: catalogue.indicators.map((i) => i.code) };
  }

  return {
    async projectProgramme(projectId) {
      return (await reader.project(projectId))?.programmeId;
    },

    programmeScope,

    listProgrammes: () => reader.programmes(),

    async listProjects(programmeId, q) {
      const projects = (await reader.projects(programmeId)).sort((a, b) => byText(a.projectId, b.projectId));
      const partners = await reader.partners(projects.map((p) => p.projectId));
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
      const project = await reader.project(projectId);
      const scope = project && (await programmeScope(project.programmeId));
      if (!project || !scope) return undefined;
      const partners = (await reader.partners([projectId])).map((p) => p.partnerCode).sort(byText);
      return { ...scope, projectId, partners };
    },

    projectIndicators,

    async indicatorEvidence(projectId, code, q): Promise<IndicatorEvidence> {
      const p = await reader.project(projectId);
      if (!p) throw new NotFoundError(`project ${projectId} not found (or not projected yet)`);
      const period = q.periodId
        ? reportingPeriods(p.startDate, p.endDate, p.reportingPeriodMonths).find((x) => x.id === q.periodId)
        : { id: 'all', start: p.startDate, end: p.endDate };
      if (!period) throw new NotFoundError(`project ${projectId} has no period ${q.periodId}`);
      const rows = (await reader.contributions({ projectId, indicator: code, asOf: q.asOf })).filter(
        (c) => c.date >= period.start && c.date <= period.end,
      );
      // Stable sort: within a date, recorded order.
      rows.sort((a, b) => byText(a.date, b.date));
      return {
        projectId,
        indicator: code,
        period,
        asOf: q.asOf?.toISOString() ?? null,
        events: rows.map(evidenceOf),
      };
    },

    async programmeIndicators(programmeId, q): Promise<ProgrammeIndicators> {
      const catalogue = await reader.catalogue(programmeId);
      if (!catalogue) throw new NotFoundError(`programme ${programmeId} not found (or not projected yet)`);
      const projects = new Map((await reader.projects(programmeId)).map((p) => [p.projectId, p]));
      const partners = new Map(
        (await reader.partners([...projects.keys()])).map((p) => [`${p.projectId}/${p.partnerCode}`, p]),
      );
      const valid = (await reader.contributions({ programmeId, asOf: q.asOf })).filter((c) =>
        projects.has(c.projectId),
      );
      // The window defaults to the dates of all valid contributions (as PostgreSQL computes it).
      const dates = valid.map((c) => c.date).sort(byText);
      let { from, to } = q;
      if (q.groupBy === 'period') {
        const upTo = to === undefined ? dates : dates.filter((d) => d <= to!);
        from ??= upTo[0] ?? to ?? '9999-12-31';
        to ??= upTo.at(-1) ?? from;
      } else {
        to ??= dates.at(-1) ?? from ?? '9999-12-31';
        from ??= dates[0] ?? to;
      }
      const facts: Fact[] = valid
        .filter((c) => c.date <= to)
        .map((c) => ({
          row: c,
          project: projects.get(c.projectId)!,
          partnerRow: partners.get(`${c.projectId}/${c.partner}`),
          // Partners and distinct keys are project-scoped: stocks take each organisation's latest, keys count once per project.
          partner: `${c.projectId}/${c.partner}`,
          date: c.date,
          value: c.value,
          ...(c.distinctKey === null ? {} : { distinctKey: `${c.projectId}/${c.distinctKey}` }),
        }));
      const rows: ProgrammeIndicators['rows'] = [];
      for (const indicator of catalogue.indicators) {
        const mine = facts.filter((f) => f.row.indicator === indicator.code);
        const row = (group: string, f: { periodValue: number | null; cumulativeValue: number | null }) => ({
          indicator: indicator.code,
          name: indicator.name,
          unit: indicator.unit,
          group,
          value: f.periodValue,
          cumulativeValue: f.cumulativeValue,
        });
        if (q.groupBy === 'period') {
          if (mine.length === 0 && !q.from) continue;
          for (const f of aggregate(
            indicator.aggregation,
            mine,
            calendarPeriods(from, to >= from ? to : from, q.granularity ?? 'year'),
          ))
            rows.push(row(f.periodId, f));
          continue;
        }
        const key = keyOf[q.groupBy];
        const window: Period = { id: `${from}..${to}`, start: from, end: to };
        for (const group of [...new Set(mine.map(key))].sort(byText)) {
          const [f] = aggregate(
            indicator.aggregation,
            mine.filter((x) => key(x) === group),
            [window],
          );
          // A group with facts only before `from` reports 0 in the window for flows and null for stocks.
          rows.push(
            row(group, {
              periodValue: f!.periodValue ?? (isStock(indicator.aggregation) ? null : 0),
              cumulativeValue: f!.cumulativeValue,
            }),
          );
        }
      }
      return { programmeId, groupBy: q.groupBy, from, to, asOf: q.asOf?.toISOString() ?? null, rows };
    },

    async projectsBehindTarget(programmeId, q) {
      const out = [];
      for (const p of (await reader.projects(programmeId)).sort((a, b) => byText(a.projectId, b.projectId))) {
        const elapsed = elapsedShare(p.startDate, p.endDate, q.today);
        const lagging = laggingIndicators(
          await projectIndicators(p.projectId, { today: q.today < p.endDate ? q.today : p.endDate, asOf: q.asOf }),
          q.threshold,
          elapsed,
        );
        if (lagging.length > 0) out.push({ projectId: p.projectId, elapsedShare: elapsed, indicators: lagging });
      }
      return { programmeId, threshold: q.threshold, today: q.today, projects: out };
    },
  };
}
