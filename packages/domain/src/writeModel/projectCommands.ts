import type { EventMap, EventOf } from '../events/eventSchemas.js';
import type { OutputType } from '../events/outputSchemas.js';
import { validateEvent } from '../events/parseEvent.js';
import type { ProjectState } from './projectState.js';
import type { Ledger } from '../rules/ledgerChange.js';

/** A command as it arrives: the payload is whatever the caller sent. parseProjectCommand turns it into a command. */
export type ProjectCommandInput =
  | { type: 'RegisterProject'; data: unknown }
  | { type: 'AmendProject'; data: unknown }
  | { type: 'JoinPartner'; data: unknown }
  | { type: 'SetTargets'; targets: unknown[] }
  | { type: 'SubmitReport'; data: unknown }
  | { type: 'ApproveReport'; data: unknown }
  | { type: 'ReopenReport'; data: unknown }
  | { type: 'RecordOutput'; outputType: OutputType; data: unknown }
  | { type: 'CorrectOutput'; data: unknown }
  | { type: 'RetractOutput'; data: unknown };

/** What a writer may do to a project, with its payload validated by the event schemas (parseProjectCommand). */
export type ProjectCommand =
  | { type: 'RegisterProject'; event: EventOf<'ProjectRegistered'> }
  | { type: 'AmendProject'; event: EventOf<'ProjectAmended'> }
  | { type: 'JoinPartner'; event: EventOf<'PartnerJoined'> }
  | { type: 'SetTargets'; events: EventOf<'TargetSet'>[] }
  | { type: 'SubmitReport'; event: EventOf<'ReportSubmitted'> }
  | { type: 'ApproveReport'; event: EventOf<'ReportApproved'> }
  | { type: 'ReopenReport'; event: EventOf<'ReportReopened'> }
  | { type: 'RecordOutput'; event: EventOf<OutputType> }
  | { type: 'CorrectOutput'; event: EventOf<'OutputCorrected'> }
  | { type: 'RetractOutput'; event: EventOf<'OutputRetracted'> };

/**
 * Validates a command's payload against the schema of the event it records, listing every bad field (400), or the
 * rule a well-formed payload breaks (422). Needs no state: a bad request is refused before anything is loaded.
 */
export function parseProjectCommand(input: ProjectCommandInput): ProjectCommand {
  switch (input.type) {
    case 'RegisterProject':
      return {
        type: input.type,
        event: validateEvent('ProjectRegistered', input.data) as EventOf<'ProjectRegistered'>,
      };
    case 'AmendProject':
      return { type: input.type, event: validateEvent('ProjectAmended', input.data) as EventOf<'ProjectAmended'> };
    case 'JoinPartner':
      return { type: input.type, event: validateEvent('PartnerJoined', input.data) as EventOf<'PartnerJoined'> };
    case 'SetTargets':
      return {
        type: input.type,
        events: input.targets.map((t) => validateEvent('TargetSet', t) as EventOf<'TargetSet'>),
      };
    case 'SubmitReport':
      return { type: input.type, event: validateEvent('ReportSubmitted', input.data) as EventOf<'ReportSubmitted'> };
    case 'ApproveReport':
      return { type: input.type, event: validateEvent('ReportApproved', input.data) as EventOf<'ReportApproved'> };
    case 'ReopenReport':
      return { type: input.type, event: validateEvent('ReportReopened', input.data) as EventOf<'ReportReopened'> };
    case 'RecordOutput':
      return { type: input.type, event: validateEvent(input.outputType, input.data) as EventOf<OutputType> };
    case 'CorrectOutput':
      return { type: input.type, event: validateEvent('OutputCorrected', input.data) as EventOf<'OutputCorrected'> };
    case 'RetractOutput':
      return { type: input.type, event: validateEvent('OutputRetracted', input.data) as EventOf<'OutputRetracted'> };
  }
}

/**
 * The partners a command writes for, on the state it is decided on: who may run it depends on them (a partner
 * manager writes only its own partner's outputs). A correction touches the partner of the output it replaces as
 * well as the replacement's, a retraction the original's.
 */
export function partnersTouched(command: ProjectCommand, state: ProjectState): string[] {
  const originalPartner = (eventId: string) =>
    state.status === 'registered' ? state.outputs.get(eventId)?.partner : undefined;
  const list = (...codes: (string | undefined)[]) => codes.filter((c): c is string => c !== undefined);
  switch (command.type) {
    case 'RecordOutput':
      return list((command.event.data as { partner: string }).partner);
    case 'CorrectOutput':
      return list(
        (command.event.data.replacement.data as { partner: string }).partner,
        originalPartner(command.event.data.correctsEventId),
      );
    case 'RetractOutput':
      return list(originalPartner(command.event.data.retractsEventId));
    case 'SetTargets':
      return list(...command.events.map((e) => e.data.partner));
    case 'SubmitReport':
    case 'ApproveReport':
    case 'ReopenReport':
      return list(command.event.data.partner);
    case 'RegisterProject':
    case 'AmendProject':
    case 'JoinPartner':
      return [];
  }
}

/** What decide needs beyond the project's own state. */
export interface DecisionContext {
  programme: EventMap['ProgrammeRegistered'];
  /** Today in the programme's time zone: outputs dated later than today + tolerance are refused. */
  today: string;
  /** Days an output may lie in the future, for clock skew between a partner's office and the server. */
  futureToleranceDays: number;
  /**
   * The project's live contributions, as recorded at the state decided on: only a report submission needs them
   * (its numbers), and only it has them loaded (see executeProjectCommand).
   */
  ledger?: Ledger | undefined;
}
