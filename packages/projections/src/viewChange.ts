import type { Catalogue, Contribution, EventMap } from '@il/domain';
import type { ReportRow } from './reference/viewRows.js';

/** What one event changes in the indicator views; applied by a read-model adapter. */
export type ViewChange =
  | { kind: 'programme'; programme: EventMap['ProgrammeRegistered'] }
  /** A programme target set or amended from `at` on (every version is kept, for as-of). */
  | { kind: 'programme-target'; programmeId: string; target: EventMap['ProgrammeTargetSet']; at: Date }
  | { kind: 'project'; project: EventMap['ProjectRegistered']; at: Date }
  /** An amendment: the end date from `at` on (earlier as-of answers keep the contract as it was). */
  | { kind: 'project-end'; projectId: string; endDate: string; at: Date }
  | { kind: 'partner'; projectId: string; partner: EventMap['PartnerJoined'] }
  | { kind: 'target'; projectId: string; indicator: string; partner: string; value: number; at: Date }
  | { kind: 'report'; projectId: string; report: ReportRow }
  /** Ends the validity of an output's contributions at `at` (a correction or retraction was recorded). */
  | { kind: 'close'; projectId: string; outputEventId: string; sourceEventId: string; at: Date }
  | {
      kind: 'contribute';
      projectId: string;
      outputEventId: string;
      sourceEventId: string;
      sourceType: string;
      at: Date;
      contributions: Contribution[];
    };

/** The changes that are rows of their own, applied one by one; contributions are batched (batchWriter). */
export type RegistryChange = Exclude<ViewChange, { kind: 'close' | 'contribute' }>;

/** What the fold needs to know about the project an event belongs to. */
export interface ProjectContext {
  catalogue: Catalogue;
  startDate: string;
}
