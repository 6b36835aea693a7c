import type { EventMap } from '../events/eventSchemas.js';
import type { OutputType } from '../events/outputSchemas.js';

/** What a writer may do to a project. Payloads are validated by the event schemas inside decide. */
export type ProjectCommand =
  | { type: 'RegisterProject'; data: unknown }
  | { type: 'AmendProject'; data: unknown }
  | { type: 'JoinPartner'; data: unknown }
  | { type: 'SetTargets'; targets: unknown[] }
  | { type: 'SubmitReport'; data: unknown }
  | { type: 'ApproveReport'; data: unknown }
  | { type: 'RecordOutput'; outputType: OutputType; data: unknown }
  | { type: 'CorrectOutput'; data: unknown }
  | { type: 'RetractOutput'; data: unknown };

/** What decide needs beyond the project's own state. */
export interface DecisionContext {
  programme: EventMap['ProgrammeRegistered'];
  /** Today in the programme's time zone: outputs dated later than today + tolerance are refused. */
  today: string;
  /** Days an output may lie in the future, for clock skew between a partner's office and the server. */
  futureToleranceDays: number;
}
