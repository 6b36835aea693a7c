import type { RecordedOutput } from '@il/domain';

/** The public shape of a recorded output: its current payload, and the events that corrected or retracted it. */
export function outputView(o: RecordedOutput) {
  return { eventId: o.eventId, type: o.type, ...o.data, corrections: o.corrections, retracted: o.retracted };
}
