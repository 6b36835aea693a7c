import { z } from 'zod';
import { textSchema, uuidSchema } from './fields.js';
import { outputSchemas } from './outputSchemas.js';

const replacementVariants = Object.entries(outputSchemas).map(([type, data]) => z.strictObject({ type: z.literal(type), data }));

/**
 * Replaces the whole payload of an earlier output event. `correctsEventId` always names the original output event:
 * a second correction of the same output supersedes the first, so the chain never has to be walked.
 */
export const outputCorrectedV1 = z.strictObject({
  correctsEventId: uuidSchema,
  replacement: z.discriminatedUnion('type', replacementVariants as unknown as [(typeof replacementVariants)[number], ...(typeof replacementVariants)[number][]]),
});

export const outputRetractedV1 = z.strictObject({
  retractsEventId: uuidSchema,
  reason: textSchema,
});
