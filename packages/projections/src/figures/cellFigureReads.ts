import type { Catalogue } from '@il/domain';
import type { ContributionRow, PartnerRow, ProjectRow, ViewRowsReader } from '../reference/viewRows.js';
import { cellsFromContributions, distinctKeyText, firstOccurrence, type Cell, type CellContribution } from './cells.js';
import type { AttributeGroup, Cuts, EvidenceRow, FigureReads, MonthStats } from './figureReads.js';
import { statsOfCells, windowStatsOfCells } from './windowStats.js';

/** The cells of an engine that keeps them in memory (or computes them), and the contributions behind them. */
export interface CellSource {
  /** The cells valid at `asOf` (live ones when absent) of a programme's or a project's projects. */
  cells(filter: { programmeId?: string; projectId?: string; asOf?: Date | undefined }): Promise<Cell[]>;
  evidence(projectId: string, indicator: string, asOf: Date | undefined): Promise<EvidenceRow[]>;
}

const groupOf: Record<AttributeGroup, (c: Cell, project: ProjectRow, partner: PartnerRow | undefined) => string> = {
  priority: (_c, p) => p.priority,
  specificObjective: (_c, p) => p.specificObjective,
  country: (_c, _p, pa) => pa?.country ?? 'unknown',
  region: (_c, _p, pa) => pa?.nuts3 ?? 'unknown',
  partner: (c) => `${c.projectId}/${c.partner}`,
  project: (c) => c.projectId,
};

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of list) {
    const k = key(t);
    const l = out.get(k);
    if (l) l.push(t);
    else out.set(k, [t]);
  }
  return out;
}

const sep = '\u001f';

/**
 * FigureReads computed in this process over cells: the reference the SQL reads are tested against, and how an
 * engine without SQL answers from the cells it keeps.
 */
export function figureReadsOverCells(registry: Omit<ViewRowsReader, 'contributions'>, source: CellSource): FigureReads {
  /** A programme's cells valid at `asOf`, or with cuts each listed project's valid at its instant, up to its day. */
  async function programmeCells(programmeId: string, asOf: Date | undefined, cuts: Cuts | undefined) {
    if (!cuts) return source.cells({ programmeId, asOf });
    const out: Cell[] = [];
    for (const [projectId, cut] of cuts)
      out.push(...(await source.cells({ projectId, asOf: cut.asOf })).filter((c) => c.day <= cut.to));
    return out;
  }
  const reads: FigureReads = {
    ...registry,
    async projectContext(projectId, asOf) {
      const project = await registry.project(projectId, asOf);
      const catalogue = project && (await registry.catalogue(project.programmeId));
      return project && catalogue
        ? { project, catalogue, targets: await registry.targets(projectId, asOf) }
        : undefined;
    },
    async projectContextWithCells(projectId, asOf) {
      const context = await reads.projectContext(projectId, asOf);
      return context && { ...context, cells: await reads.projectCells(projectId, asOf) };
    },
    async projectCells(projectId, asOf) {
      return (await source.cells({ projectId, asOf })).map((c) => ({
        indicator: c.indicator,
        partner: c.partner,
        day: c.day,
        value: c.value,
      }));
    },
    async groupStats(programmeId, by, w) {
      const projects = new Map((await registry.projects(programmeId)).map((p) => [p.projectId, p]));
      const partners = new Map(
        (await registry.partners([...projects.keys()])).map((p) => [`${p.projectId}/${p.partnerCode}`, p]),
      );
      const cells = (await programmeCells(programmeId, w.asOf, w.cuts)).filter(
        (c) => c.day <= w.to && projects.has(c.projectId),
      );
      const key = (c: Cell) =>
        `${c.indicator}${sep}${groupOf[by](c, projects.get(c.projectId)!, partners.get(`${c.projectId}/${c.partner}`))}`;
      return [...groupBy(cells, key)].map(([k, list]) => ({
        indicator: list[0]!.indicator,
        group: k.slice(k.indexOf(sep) + 1),
        stats: windowStatsOfCells(list, w.from, w.to),
      }));
    },
    async cellRange(programmeId, asOf, to, cuts) {
      const days = (await programmeCells(programmeId, asOf, cuts))
        .map((c) => c.day)
        .filter((d) => to === undefined || d <= to)
        .sort();
      return days.length ? { first: days[0]!, last: days.at(-1)! } : undefined;
    },
    async monthStats(programmeId, to, asOf, perOrganisation, cuts) {
      const orgIndicators = new Set(perOrganisation);
      const cells = (await programmeCells(programmeId, asOf, cuts)).filter((c) => c.day <= to);
      const org = (c: Cell) => (orgIndicators.has(c.indicator) ? `${c.projectId}/${c.partner}` : '');
      return [...groupBy(cells, (c) => [c.indicator, org(c), c.day.slice(0, 7)].join(sep)).values()].map(
        (list): MonthStats => {
          const s = statsOfCells(list);
          const latest = list.reduce((a, b) => (b.day > a.day ? b : a));
          return {
            indicator: list[0]!.indicator,
            org: org(list[0]!),
            month: list[0]!.day.slice(0, 7),
            sum: s.sum!,
            max: s.max!,
            latest: org(list[0]!) === '' ? null : latest.value,
          };
        },
      );
    },
    async cumulativeStats(ends, asOf) {
      const out = [];
      for (const { projectId, to, asOf: own } of ends) {
        const cells = (await source.cells({ projectId, asOf: own ?? asOf })).filter((c) => c.day <= to);
        for (const list of groupBy(cells, (c) => c.indicator).values())
          out.push({ projectId, indicator: list[0]!.indicator, stats: statsOfCells(list) });
      }
      return out;
    },
    evidence: (projectId, indicator, asOf) => source.evidence(projectId, indicator, asOf),
  };
  return reads;
}

/** A contribution row as the cell fold sees it, with its recorded order. */
export const cellContributionOf = (r: ContributionRow, order: number): CellContribution => ({
  projectId: r.projectId,
  indicator: r.indicator,
  partner: r.partner,
  date: r.date,
  value: r.value,
  distinctKey: r.distinctKey,
  outputEventId: r.outputEventId,
  order,
});

/** Contribution rows as the cell fold sees them; their order is the order the reader gives (recorded order). */
export function cellContributions(rows: readonly ContributionRow[]): CellContribution[] {
  return rows.map(cellContributionOf);
}

/** Evidence rows of one indicator's contributions (recorded order), with each distinct key's first occurrence. */
export function evidenceRows(rows: readonly ContributionRow[]): EvidenceRow[] {
  const cells = cellContributions(rows);
  const firsts = new Set<CellContribution>();
  for (const list of groupBy(cells, distinctKeyText).values()) {
    const first = firstOccurrence(list.filter((c) => c.distinctKey !== null));
    if (first) firsts.add(first);
  }
  return rows.map((r, i) => ({
    outputEventId: r.outputEventId,
    sourceEventId: r.sourceEventId,
    sourceType: r.sourceType,
    partner: r.partner,
    date: r.date,
    value: r.value,
    distinctKey: r.distinctKey,
    recordedAt: r.validFrom,
    order: i,
    first: firsts.has(cells[i]!),
  }));
}

/**
 * FigureReads of an engine that stores contributions only: the cells are computed from them when asked (the
 * reference for tests; MongoDB until it maintains cells itself).
 */
export function figureReadsFromContributions(reader: ViewRowsReader): FigureReads {
  return figureReadsOverCells(reader, {
    async cells(filter) {
      const catalogues = new Map<string, Promise<Catalogue | undefined>>();
      const rows = await reader.contributions(filter);
      const programmeOf = new Map<string, string | undefined>();
      for (const r of rows)
        if (!programmeOf.has(r.projectId))
          programmeOf.set(r.projectId, (await reader.project(r.projectId))?.programmeId);
      const catalogueOf = new Map<string, Catalogue | undefined>();
      for (const programmeId of new Set(programmeOf.values())) {
        if (!programmeId) continue;
        if (!catalogues.has(programmeId)) catalogues.set(programmeId, reader.catalogue(programmeId));
        catalogueOf.set(programmeId, await catalogues.get(programmeId));
      }
      const aggregations = new Map<string, string>();
      return cellsFromContributions(cellContributions(rows), (projectId, indicator) => {
        const catalogue = catalogueOf.get(programmeOf.get(projectId) ?? '');
        const key = `${projectId}${sep}${indicator}`;
        if (!aggregations.has(key))
          aggregations.set(key, catalogue?.indicators.find((i) => i.code === indicator)?.aggregation ?? '');
        return (aggregations.get(key) || undefined) as ReturnType<Parameters<typeof cellsFromContributions>[1]>;
      });
    },
    async evidence(projectId, indicator, asOf) {
      return evidenceRows(await reader.contributions({ projectId, indicator, asOf }));
    },
  });
}
