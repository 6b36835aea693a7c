import { z } from 'zod';
import { textSchema, uuidSchema } from './fields.js';
import { outputSchemas, outputTypes, type OutputType } from './outputSchemas.js';

const variant = <T extends OutputType>(type: T) => z.strictObject({ type: z.literal(type), data: outputSchemas[type] });
type Variant = { [T in OutputType]: ReturnType<typeof variant<T>> }[OutputType];
/** One replacement variant per output kind, from the output kinds table. */
const variants = outputTypes.map((t) => variant(t)) as [Variant, ...Variant[]];

/**
 * Replaces the whole payload of an earlier output event. `correctsEventId` always names the original output event:
 * a second correction of the same output supersedes the first, so the chain never has to be walked.
 */
export const outputCorrectedV1 = z.strictObject({
  correctsEventId: uuidSchema,
  replacement: z.discriminatedUnion('type', variants),
});

export const outputRetractedV1 = z.strictObject({
  retractsEventId: uuidSchema,
  reason: textSchema,
});
