import { z } from 'zod';
import { textSchema, uuidSchema } from './fields.js';
import { outputSchemas, type OutputType } from './outputSchemas.js';

const variant = <T extends OutputType>(type: T) => z.strictObject({ type: z.literal(type), data: outputSchemas[type] });

/**
 * Replaces the whole payload of an earlier output event. `correctsEventId` always names the original output event:
 * a second correction of the same output supersedes the first, so the chain never has to be walked.
 */
export const outputCorrectedV1 = z.strictObject({
  correctsEventId: uuidSchema,
  replacement: z.discriminatedUnion('type', [
    variant('CampHeld'),
    variant('StaffTrained'),
    variant('ExchangeVisitHeld'),
    variant('InclusionMeasureDelivered'),
    variant('PublicEventHeld'),
    variant('InfrastructureWorksStarted'),
    variant('InfrastructureCompleted'),
    variant('EquipmentPurchased'),
    variant('QualitySystemIntroduced'),
    variant('ExpenditureDeclared'),
  ]),
});

export const outputRetractedV1 = z.strictObject({
  retractsEventId: uuidSchema,
  reason: textSchema,
});
