import type { RecordedOutput } from '@il/domain';

/** The public shape of a recorded output: its current payload, and the events that corrected or retracted it. */
export function outputView(o: RecordedOutput) {
  return { eventId: o.eventId, type: o.type, ...o.data, corrections: o.corrections, retracted: o.retracted };
}

/**
 * A body field read before the body is validated (to find the output or programme a write is about): a string, or
 * '' that finds nothing. Never String(x): an object's own toString, or a deeply nested array, would run or overflow.
 */
export const stringOrEmpty = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The partner a request body writes for, if it names one (the check point needs it before validation). */
export function partnerOfBody(body: unknown): string[] {
  const p = (body as { partner?: unknown } | null | undefined)?.partner;
  return typeof p === 'string' ? [p] : [];
}
