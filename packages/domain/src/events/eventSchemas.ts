import type { z } from 'zod';
import { outputSchemas } from './outputSchemas.js';
import { outputCorrectedV1, outputRetractedV1 } from './correctionEvents.js';
import { partnerJoinedV1 } from './partnerJoined.js';
import { programmeRegisteredV1, projectAmendedV1, projectRegisteredV1, targetSetV1 } from './registryEvents.js';
import { reportApprovedV2, reportReopenedV1, reportSubmittedV2 } from './reportEvents.js';
import { programmeTargetSetV1, transmissionMadeV1 } from './programmeEvents.js';

/** The current schema of every event type; older versions live in `upcasters.ts`. */
export const eventSchemas = {
  ProgrammeRegistered: programmeRegisteredV1,
  ProgrammeTargetSet: programmeTargetSetV1,
  TransmissionMade: transmissionMadeV1,
  ProjectRegistered: projectRegisteredV1,
  ProjectAmended: projectAmendedV1,
  PartnerJoined: partnerJoinedV1,
  TargetSet: targetSetV1,
  ReportSubmitted: reportSubmittedV2,
  ReportApproved: reportApprovedV2,
  ReportReopened: reportReopenedV1,
  ...outputSchemas,
  OutputCorrected: outputCorrectedV1,
  OutputRetracted: outputRetractedV1,
} as const;

export type EventType = keyof typeof eventSchemas;
export type EventMap = { [K in EventType]: z.output<(typeof eventSchemas)[K]> };
/** Discriminated on `type`, so a `switch` over it is checked for exhaustiveness. */
export type DomainEvent = { [K in EventType]: { type: K; data: EventMap[K] } }[EventType];
export type EventOf<K extends EventType> = Extract<DomainEvent, { type: K }>;

export const eventTypes = Object.keys(eventSchemas) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventSchemas, type);
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
