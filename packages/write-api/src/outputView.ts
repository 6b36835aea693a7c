import { outputTypes, type RecordedOutput } from '@il/domain';
import { z } from 'zod';

/** The public shape of a recorded output: its current payload, and the events that corrected or retracted it. */
export function outputView(o: RecordedOutput) {
  return { eventId: o.eventId, type: o.type, ...o.data, corrections: o.corrections, retracted: o.retracted };
}

/** An output as the API shows it: these members beside the output's own fields (which depend on its kind). */
export const outputViewSchema = z.looseObject({
  eventId: z.string(),
  type: z.enum(outputTypes as [string, ...string[]]),
  /** Event ids of the corrections applied, oldest first. */
  corrections: z.array(z.string()),
  retracted: z.boolean(),
});
