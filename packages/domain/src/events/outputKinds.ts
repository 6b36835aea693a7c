import { textOf } from './fields.js';
import { currentSchemaVersion } from './upcasters.js';
import {
  campHeldV2,
  equipmentPurchasedV1,
  exchangeVisitHeldV1,
  expenditureDeclaredV1,
  inclusionMeasureDeliveredV1,
  infrastructureCompletedV1,
  infrastructureWorksStartedV1,
  publicEventHeldV1,
  qualitySystemIntroducedV1,
  staffTrainedV1,
} from './outputEvents.js';

/**
 * Every kind of output a partner records, defined once. Routes, correction variants, unique keys, the demo's
 * requests, the fuzz list and the route docs are all derived from this table; adding a kind means an entry here,
 * its schema in outputEvents.ts, and the catalogue rules that count it (CONTRIBUTING.md).
 *
 * - `path`: where it is recorded, `POST /v1/projects/{projectId}/<path>`; a `{field}` in it is taken from the path
 *   (and may be left out of the body).
 * - `uniqueKey`: the field whose value identifies one occurrence: recording it again is 409, and
 *   `GET …/<path>/{field}` reads it back. Kinds without one repeat (sessions of one inclusion measure).
 * - `group`: the write service (and OpenAPI tag) that serves it.
 * - `moments`: fields that may be an instant with an offset (`2019-11-30T22:30:00Z`); stored as the date it was in
 *   the programme's time zone.
 */
export const outputKinds = {
  CampHeld: {
    schema: campHeldV2,
    group: 'activities',
    path: 'camps',
    uniqueKey: { field: 'campId', prefix: 'camp' },
    moments: ['startDate', 'endDate'],
    summary: 'A camp held',
  },
  StaffTrained: {
    schema: staffTrainedV1,
    group: 'activities',
    path: 'trainings',
    uniqueKey: { field: 'trainingId', prefix: 'training' },
    moments: ['date'],
    summary: 'Staff trained',
  },
  ExchangeVisitHeld: {
    schema: exchangeVisitHeldV1,
    group: 'activities',
    path: 'exchange-visits',
    uniqueKey: { field: 'visitId', prefix: 'visit' },
    moments: ['startDate', 'endDate'],
    summary: 'An exchange visit held',
  },
  InclusionMeasureDelivered: {
    schema: inclusionMeasureDeliveredV1,
    group: 'activities',
    path: 'inclusion-measures',
    summary: 'A session of an inclusion measure delivered',
  },
  PublicEventHeld: {
    schema: publicEventHeldV1,
    group: 'activities',
    path: 'public-events',
    uniqueKey: { field: 'publicEventId', prefix: 'public-event' },
    moments: ['date'],
    summary: 'A public event held',
  },
  InfrastructureWorksStarted: {
    schema: infrastructureWorksStartedV1,
    group: 'infrastructure',
    path: 'infrastructure/{objectId}/started',
    uniqueKey: { field: 'objectId', prefix: 'works-started' },
    summary: 'Works started on an object',
  },
  InfrastructureCompleted: {
    schema: infrastructureCompletedV1,
    group: 'infrastructure',
    path: 'infrastructure/{objectId}/completed',
    summary: 'An object completed (again, for a later stage)',
  },
  EquipmentPurchased: {
    schema: equipmentPurchasedV1,
    group: 'infrastructure',
    path: 'equipment',
    summary: 'Equipment purchased',
  },
  QualitySystemIntroduced: {
    schema: qualitySystemIntroducedV1,
    group: 'activities',
    path: 'quality-systems',
    summary: 'A quality system introduced in an institution',
  },
  ExpenditureDeclared: {
    schema: expenditureDeclaredV1,
    group: 'infrastructure',
    path: 'expenditure',
    summary: 'Expenditure declared (integer cents)',
  },
} as const satisfies Record<string, OutputKindSpec>;

export interface OutputKindSpec {
  schema: { shape: Record<string, unknown> };
  group: 'activities' | 'infrastructure';
  path: string;
  uniqueKey?: { field: string; prefix: string };
  /** Fields that may be given as an instant with an offset; decide stores the date in the programme's time zone. */
  moments?: readonly string[];
  summary: string;
}

export type OutputType = keyof typeof outputKinds;
export type OutputKind = (typeof outputKinds)[OutputType] & OutputKindSpec;
export const outputTypes = Object.keys(outputKinds) as OutputType[];

export function isOutputType(type: string): type is OutputType {
  return Object.hasOwn(outputKinds, type);
}

/** One row of the table, with the schema versions its events are stored in (1 … current; older ones upcast). */
export function outputKind(type: OutputType): OutputKind & { type: OutputType; schemaVersions: number[] } {
  const current = currentSchemaVersion(type);
  return { type, ...outputKinds[type], schemaVersions: Array.from({ length: current }, (_, i) => i + 1) };
}

/** The field a kind's path carries (`objectId` of `infrastructure/{objectId}/started`), if any. */
export function pathFieldOf(kind: OutputKindSpec): string | undefined {
  return /\{(\w+)\}/.exec(kind.path)?.[1];
}

/** The request path that records `data` as this kind, for clients (the demo loader, tests). */
export function recordingPath(projectId: string, type: OutputType, data: Record<string, unknown>): string {
  const kind = outputKinds[type];
  const field = pathFieldOf(kind);
  const path = field ? kind.path.replace(`{${field}}`, encodeURIComponent(textOf(data[field]))) : kind.path;
  return `/v1/projects/${encodeURIComponent(projectId)}/${path}`;
}
