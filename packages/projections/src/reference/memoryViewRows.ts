import type { Catalogue } from '@il/domain';
import type { StoredEvent } from '@il/event-store';
import { projectEvent, projectIdOfStream } from '../projectEvent.js';
import type { ContributionRow, PartnerRow, ProjectRow, TargetRow, ViewRowsReader } from './viewRows.js';
import { validAt } from './viewRows.js';

/**
 * The views folded in memory from events with the same pure step the projectors use: the read-model contract's
 * oracle, independent of any database.
 */
export function memoryViewRows(events: readonly StoredEvent[]): ViewRowsReader {
  const catalogues = new Map<string, Catalogue>();
  const timeZones = new Map<string, string>();
  const names = new Map<string, string>();
  const projects = new Map<string, ProjectRow>();
  const partners: PartnerRow[] = [];
  const targets = new Map<string, TargetRow & { projectId: string }>();
  const contributions: ContributionRow[] = [];
  for (const e of events) {
    const projectId = projectIdOfStream(e.streamId);
    const project = projectId ? projects.get(projectId) : undefined;
    const catalogue = project && catalogues.get(project.programmeId);
    for (const c of projectEvent(e, project && catalogue ? { catalogue, startDate: project.startDate } : undefined)) {
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
          break;
        }
        case 'project-end':
          if (projects.has(c.projectId)) projects.get(c.projectId)!.endDate = c.endDate;
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
          break;
        case 'close':
          for (const row of contributions)
            if (row.outputEventId === c.outputEventId && row.validTo === null) row.validTo = c.at;
          break;
        case 'contribute':
          for (const x of c.contributions) {
            contributions.push({
              projectId: c.projectId,
              partner: x.partner,
              indicator: x.indicator,
              date: x.date,
              value: x.value,
              distinctKey: x.distinctKey ?? null,
              outputEventId: c.outputEventId,
              sourceEventId: c.sourceEventId,
              sourceType: c.sourceType,
              validFrom: c.at,
              validTo: null,
            });
          }
          break;
      }
    }
  }
  return {
    catalogue: async (programmeId) => catalogues.get(programmeId),
    timeZone: async (programmeId) => timeZones.get(programmeId),
    programmes: async () =>
      [...names.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([programmeId, name]) => ({ programmeId, name, timeZone: timeZones.get(programmeId)! })),
    project: async (projectId) => projects.get(projectId),
    projects: async (programmeId) => [...projects.values()].filter((p) => p.programmeId === programmeId),
    partners: async (projectIds) => partners.filter((p) => projectIds.includes(p.projectId)),
    targets: async (projectId) =>
      [...targets.values()]
        .filter((t) => t.projectId === projectId)
        .map(({ indicator, partner, value }) => ({ indicator, partner, value })),
    contributions: async (f) =>
      contributions.filter(
        (c) =>
          (!f.programmeId || projects.get(c.projectId)?.programmeId === f.programmeId) &&
          (!f.projectId || c.projectId === f.projectId) &&
          (!f.indicator || c.indicator === f.indicator) &&
          (!f.to || c.date <= f.to) &&
          validAt(c, f.asOf),
      ),
  };
}
