export * from './calendar/calendarDate.js';
export * from './calendar/timeZone.js';
export * from './calendar/periods.js';
export * from './money/cents.js';
export * from './errors.js';
export * from './events/fields.js';
export * from './events/issues.js';
export * from './events/eventSchemas.js';
export { reportLineSchema, reportSnapshotSchema } from './events/reportEvents.js';
export { transmissionRowSchema, transmissionTablesSchema } from './events/programmeEvents.js';
export * from './events/outputSchemas.js';
export {
  outputKinds,
  outputKind,
  pathFieldOf,
  recordingPath,
  type OutputKind,
  type OutputKindSpec,
} from './events/outputKinds.js';
export * from './events/parseEvent.js';
export * from './catalogue/catalogueSchema.js';
export * from './catalogue/builtinCatalogues.js';
export * from './catalogue/catalogueMapping.js';
export * from './rules/contributions.js';
export * from './rules/ledgerChange.js';
export * from './rules/aggregate.js';
export * from './rules/indicatorFigures.js';
export * from './rules/exactSum.js';
export * from './rules/reportSnapshot.js';
export * from './rules/transmissionTables.js';
export * from './scenario/socQuality.js';
export * from './writeModel/outputKeys.js';
export * from './writeModel/programmeState.js';
export * from './writeModel/projectState.js';
export * from './writeModel/outputTable.js';
export * from './writeModel/projectCommands.js';
export * from './writeModel/decideProject.js';
export * from './writeModel/occurredAt.js';
export * from './streams.js';
export * from './writeModel/datedIn.js';
