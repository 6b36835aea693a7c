import { ledgerChangeOf, programmeIdOfStream, projectIdOfStream, readStoredEvent } from '@il/domain';
import type { StoredEvent } from '@il/event-store';
import type { ProjectContext, ViewChange } from './viewChange.js';

export { projectIdOfStream };

/**
 * The pure fold step: a stored event, and the context of its project (undefined before the project is known),
 * give the view changes. Contributions are never updated in place: a correction closes the old ones and adds new.
 */
export function projectEvent(stored: StoredEvent, context: ProjectContext | undefined): ViewChange[] {
  const event = readStoredEvent(stored.type, stored.schemaVersion, stored.data);
  const at = stored.recordedAt;
  if (event.type === 'ProgrammeRegistered') return [{ kind: 'programme', programme: event.data }];
  if (event.type === 'ProjectRegistered') return [{ kind: 'project', project: event.data, at }];
  const programmeId = programmeIdOfStream(stored.streamId);
  if (event.type === 'ProgrammeTargetSet' && programmeId)
    return [{ kind: 'programme-target', programmeId, target: event.data, at }];
  const projectId = projectIdOfStream(stored.streamId);
  if (!projectId || !context) return [];
  const changes: ViewChange[] = [];
  if (event.type === 'ProjectAmended')
    changes.push({ kind: 'project-end', projectId, endDate: event.data.endDate, at });
  if (event.type === 'PartnerJoined') changes.push({ kind: 'partner', projectId, partner: event.data });
  if (event.type === 'TargetSet')
    changes.push({
      kind: 'target',
      projectId,
      indicator: event.data.indicator,
      partner: event.data.partner ?? '',
      value: event.data.value,
      at,
    });
  if (event.type === 'ReportSubmitted' || event.type === 'ReportApproved' || event.type === 'ReportReopened') {
    const d = event.data;
    changes.push({
      kind: 'report',
      projectId,
      report: {
        projectId,
        eventId: stored.eventId,
        level: d.level,
        partner: d.partner ?? '',
        periodId: d.periodId,
        transition:
          event.type === 'ReportSubmitted' ? 'submitted' : event.type === 'ReportApproved' ? 'approved' : 'reopened',
        numbers: event.type === 'ReportReopened' ? event.data.numbers : null,
        reason: d.reason,
        snapshot: event.type === 'ReportSubmitted' ? event.data.snapshot : null,
        actor: stored.metadata.actor,
        recordedAt: at,
      },
    });
  }
  const ledger = ledgerChangeOf(stored.eventId, event, context.catalogue, context.startDate);
  if (ledger?.replaces)
    changes.push({ kind: 'close', projectId, outputEventId: ledger.outputEventId, sourceEventId: stored.eventId, at });
  if (ledger && ledger.contributions.length > 0) {
    changes.push({
      kind: 'contribute',
      projectId,
      outputEventId: ledger.outputEventId,
      sourceEventId: stored.eventId,
      sourceType: stored.type,
      at,
      contributions: ledger.contributions,
    });
  }
  return changes;
}
