import type { Catalogue } from '@il/domain';
import type { StoredEvent } from '@il/event-store';
import { collectBatchChanges } from '../batchChanges.js';
import { cellKeyText, rulesOf } from '../figures/cells.js';
import { cellContributionOf, evidenceRows, figureReadsOverCells } from '../figures/cellFigureReads.js';
import type { FigureReads } from '../figures/figureReads.js';
import { maintainCells, type CellVersion } from '../figures/maintainCells.js';
import { projectEvent, projectIdOfStream } from '../projectEvent.js';
import type { ContributionRow, PartnerRow, ProjectRow, ReportRow, TargetRow, ViewRowsReader } from './viewRows.js';
import {
  endDateAsOf,
  programmeTargetsAsOf,
  targetsAsOf,
  validAt,
  type EndVersion,
  type ProgrammeTargetVersion,
  type TargetVersion,
} from './viewRows.js';

const heldAt = (v: { validFrom: Date; validTo: Date | null }, asOf: Date | undefined) =>
  asOf ? v.validFrom <= asOf && (v.validTo === null || v.validTo > asOf) : v.validTo === null;

/**
 * The views in memory, fed batch by batch with the same pure steps the database projectors use — the event fold,
 * the batch collector and the cell fold (maintainCells) — so the fold can be tested without a database: the
 * read-model contract's oracle, and the engine of the property test. Not for production data (everything is
 * kept, and each batch's working set is every live row).
 */
export function createMemoryViews() {
  const catalogues = new Map<string, Catalogue>();
  const timeZones = new Map<string, string>();
  const names = new Map<string, string>();
  const projects = new Map<string, ProjectRow>();
  const partners: PartnerRow[] = [];
  const targets = new Map<string, TargetRow & { projectId: string }>();
  const contributions: (ContributionRow & { order: number })[] = [];
  const cells: CellVersion[] = [];
  const reports: ReportRow[] = [];
  const ends = new Map<string, EndVersion[]>();
  const programmeTargets: (ProgrammeTargetVersion & { programmeId: string })[] = [];
  const targetVersions: (TargetVersion & { projectId: string })[] = [];

  const aggregationOf = (projectId: string, indicator: string) => {
    const project = projects.get(projectId);
    const catalogue = project && catalogues.get(project.programmeId);
    return catalogue && rulesOf(catalogue).get(indicator);
  };
  const asCell = (r: ContributionRow & { order: number }) => cellContributionOf(r, r.order);

  /** Applies one batch, as a projector's transaction would. */
  function apply(batch: readonly StoredEvent[]): void {
    const collector = collectBatchChanges();
    for (const e of batch) {
      const projectId = projectIdOfStream(e.streamId);
      const project = projectId ? projects.get(projectId) : undefined;
      const catalogue = project && catalogues.get(project.programmeId);
      for (const c of projectEvent(e, project && catalogue ? { catalogue, startDate: project.startDate } : undefined)) {
        collector.add(c);
        // Registrations are visible to the rest of the batch at once, as the projectors' contexts make them.
        switch (c.kind) {
          case 'programme':
            catalogues.set(c.programme.programmeId, c.programme.catalogue);
            timeZones.set(c.programme.programmeId, c.programme.timeZone);
            names.set(c.programme.programmeId, c.programme.name);
            break;
          case 'project': {
            const p = c.project;
            if (!projects.has(p.projectId))
              projects.set(p.projectId, {
                projectId: p.projectId,
                programmeId: p.programmeId,
                priority: p.priority,
                specificObjective: p.specificObjective,
                startDate: p.startDate,
                endDate: p.endDate,
                reportingPeriodMonths: p.reportingPeriodMonths,
              });
            if (!ends.has(p.projectId)) ends.set(p.projectId, [{ endDate: p.endDate, recordedAt: c.at }]);
            break;
          }
          case 'project-end':
            if (projects.has(c.projectId)) projects.get(c.projectId)!.endDate = c.endDate;
            ends.get(c.projectId)?.push({ endDate: c.endDate, recordedAt: c.at });
            break;
          case 'partner':
            if (!partners.some((p) => p.projectId === c.projectId && p.partnerCode === c.partner.partnerCode))
              partners.push({
                projectId: c.projectId,
                partnerCode: c.partner.partnerCode,
                country: c.partner.country,
                nuts3: c.partner.nuts3,
              });
            break;
          case 'target':
            targets.set(`${c.projectId}/${c.indicator}/${c.partner}`, {
              projectId: c.projectId,
              indicator: c.indicator,
              partner: c.partner,
              value: c.value,
            });
            targetVersions.push({
              projectId: c.projectId,
              indicator: c.indicator,
              partner: c.partner,
              value: c.value,
              recordedAt: c.at,
            });
            break;
          case 'programme-target':
            programmeTargets.push({ programmeId: c.programmeId, target: c.target, recordedAt: c.at });
            break;
          case 'report':
            if (!reports.some((r) => r.eventId === c.report.eventId)) reports.push(c.report);
            break;
          default:
        }
      }
    }
    const { closeStored, pending, steps } = collector.batch;
    const live = cells.filter((v) => v.validTo === null);
    const changes = maintainCells(
      { cells: live, contributions: contributions.filter((r) => r.validTo === null).map(asCell) },
      steps,
      aggregationOf,
    );
    for (const row of contributions) {
      const at = closeStored.get(row.outputEventId);
      if (at && row.validTo === null) row.validTo = at;
    }
    // Pending rows get the orders the cell fold gave them, after every stored one.
    const base = contributions.length;
    pending.forEach((r, i) => contributions.push({ ...r, order: base + i }));
    const liveByKey = new Map(live.map((v) => [cellKeyText(v), v]));
    for (const { key, at } of changes.closeStored) liveByKey.get(cellKeyText(key))!.validTo = at;
    cells.push(...changes.insert);
  }

  const rows: ViewRowsReader = {
    catalogue: async (programmeId) => catalogues.get(programmeId),
    timeZone: async (programmeId) => timeZones.get(programmeId),
    programmes: async () =>
      [...names.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([programmeId, name]) => ({ programmeId, name, timeZone: timeZones.get(programmeId)! })),
    project: async (projectId, asOf) => {
      const p = projects.get(projectId);
      return p && asOf ? { ...p, endDate: endDateAsOf(ends.get(projectId) ?? [], asOf) ?? p.endDate } : p;
    },
    projects: async (programmeId, asOf) =>
      [...projects.values()]
        .filter((p) => p.programmeId === programmeId)
        .filter((p) => !asOf || (ends.get(p.projectId)?.[0]?.recordedAt ?? asOf) <= asOf)
        .map((p) => (asOf ? { ...p, endDate: endDateAsOf(ends.get(p.projectId) ?? [], asOf) ?? p.endDate } : p)),
    partners: async (projectIds) => partners.filter((p) => projectIds.includes(p.projectId)),
    targets: async (projectId, asOf) =>
      asOf
        ? targetsAsOf(
            targetVersions.filter((t) => t.projectId === projectId),
            asOf,
          )
        : [...targets.values()]
            .filter((t) => t.projectId === projectId)
            .map(({ indicator, partner, value }) => ({ indicator, partner, value })),
    projectTargets: async (projectIds, asOf) =>
      (
        await Promise.all(
          projectIds.map(async (projectId) => (await rows.targets(projectId, asOf)).map((t) => ({ ...t, projectId }))),
        )
      ).flat(),
    programmeTargets: async (programmeId, asOf) =>
      programmeTargetsAsOf(
        programmeTargets.filter((t) => t.programmeId === programmeId),
        asOf,
      ),
    reports: async (projectIds) => reports.filter((r) => projectIds.includes(r.projectId)),
    contributions: async (f) =>
      contributions
        .filter(
          (c) =>
            (!f.programmeId || projects.get(c.projectId)?.programmeId === f.programmeId) &&
            (!f.projectId || c.projectId === f.projectId) &&
            (!f.indicator || c.indicator === f.indicator) &&
            (!f.to || c.date <= f.to) &&
            validAt(c, f.asOf),
        )
        .map(({ order: _order, ...row }) => row),
  };

  const figures: FigureReads = figureReadsOverCells(rows, {
    cells: async (f) =>
      cells.filter(
        (v) =>
          heldAt(v, f.asOf) &&
          (!f.projectId || v.projectId === f.projectId) &&
          (!f.programmeId || projects.get(v.projectId)?.programmeId === f.programmeId),
      ),
    evidence: async (projectId, indicator, asOf) =>
      evidenceRows(await rows.contributions({ projectId, indicator, asOf })),
  });

  return {
    apply,
    /** Plain rows (contributions included), for the reference queries. */
    rows,
    /** The maintained cells' reads, for viewQueries. */
    figures,
    /** Every cell version, for tests of the fold. */
    cellVersions: (): readonly CellVersion[] => cells,
  };
}

/** The views of these events, applied as one batch: plain rows for the reference queries. */
export function memoryViewRows(events: readonly StoredEvent[]): ViewRowsReader {
  const views = createMemoryViews();
  views.apply(events);
  return views.rows;
}
