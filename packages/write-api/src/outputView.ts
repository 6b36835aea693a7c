import { outputSchemas, outputTypes, type OutputType, type RecordedOutput } from '@il/domain';
import { z } from 'zod';

/** The public shape of a recorded output: its current payload, and the events that corrected or retracted it. */
export function outputView(o: RecordedOutput) {
  return { eventId: o.eventId, type: o.type, ...o.data, corrections: o.corrections, retracted: o.retracted };
}

/** An output of one kind as the API shows it: its current payload's fields beside these members. */
export const outputViewSchemaOf = <T extends OutputType>(type: T) =>
  z.strictObject({
    eventId: z.string(),
    type: z.literal(type),
    ...outputSchemas[type].shape,
    /** Event ids of the corrections applied, oldest first. */
    corrections: z.array(z.string()),
    retracted: z.boolean(),
  });

/** An output of any kind as the API shows it, told apart by its type. */
export const outputViewSchema = z.discriminatedUnion(
  'type',
  outputTypes.map((t) => outputViewSchemaOf(t)) as unknown as [
    ReturnType<typeof outputViewSchemaOf>,
    ...ReturnType<typeof outputViewSchemaOf>[],
  ],
);
