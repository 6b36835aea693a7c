import { eventSchemas, isEventType, type DomainEvent } from './eventSchemas.js';
import { currentSchemaVersion, upcastStep } from './upcasters.js';
import { InvalidEventError, RuleViolationError } from '../errors.js';
import { issuesOf } from './issues.js';

/**
 * Validates a new event payload against the current schema; lists every bad field. A payload whose every field is
 * well-formed but whose fields disagree (crossBorder > total, end before start) is a rule violation (422), not a
 * malformed request (400).
 */
export function validateEvent(type: string, data: unknown): DomainEvent {
  if (!isEventType(type))
    throw new InvalidEventError(`unknown event type ${type}`, [
      { path: 'type', message: `unknown event type ${type}` },
    ]);
  const result = eventSchemas[type].safeParse(data);
  if (!result.success) {
    const issues = issuesOf(result.error);
    // Refinements are rules between well-formed fields (422), except those marked as a format check (a real date).
    const isRule = (i: (typeof result.error.issues)[number]) =>
      i.code === 'custom' && (i.params as { format?: string } | undefined)?.format === undefined;
    if (result.error.issues.every(isRule)) throw new RuleViolationError(`${type} breaks a rule`, issues);
    throw new InvalidEventError(`invalid ${type}`, issues);
  }
  return { type, data: result.data } as DomainEvent;
}

/** Reads an event as stored, in any known schema version, and returns it in the current version. */
export function parseStoredEvent(type: string, schemaVersion: number, data: unknown): DomainEvent {
  if (!isEventType(type))
    throw new InvalidEventError(`unknown event type ${type}`, [
      { path: 'type', message: `unknown event type ${type}` },
    ]);
  const current = currentSchemaVersion(type);
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > current) {
    throw new InvalidEventError(`${type} has no schema version ${schemaVersion}`, [
      { path: 'schemaVersion', message: `known versions are 1..${current}` },
    ]);
  }
  let payload = data;
  for (let v = schemaVersion; v < current; v++) {
    const step = upcastStep(type, v);
    if (!step) throw new InvalidEventError(`no upcaster for ${type} v${v}`, []);
    const parsed = step.schema.safeParse(payload);
    if (!parsed.success) throw new InvalidEventError(`invalid ${type} v${v}`, issuesOf(parsed.error));
    payload = step.up(parsed.data);
  }
  return validateEvent(type, payload);
}

export { currentSchemaVersion };

/**
 * Reads a stored event on the hot paths (loading a stream, projecting). Events in the current schema version were
 * validated by this code when they were appended, so they are taken as stored; older versions are upcast and
 * validated as in parseStoredEvent. Validating every event again made loading a 1,000-event project and projecting
 * a million events several times slower (see bench/results).
 */
export function readStoredEvent(type: string, schemaVersion: number, data: unknown): DomainEvent {
  if (isEventType(type) && schemaVersion === currentSchemaVersion(type)) return { type, data } as DomainEvent;
  return parseStoredEvent(type, schemaVersion, data);
}
