import { z } from 'zod';
import { centsSchema } from '../money/cents.js';
import {
  countSchema,
  countrySchema,
  dateSchema,
  endNotBeforeStart,
  momentSchema,
  slugSchema,
  textSchema,
} from './fields.js';

const partner = slugSchema;

function participantsWithinTotal(
  v: { participants: { total: number; crossBorder?: number; withDisabilities?: number | undefined } },
  ctx: z.RefinementCtx,
): void {
  const p = v.participants;
  if (p.crossBorder !== undefined && p.crossBorder > p.total) {
    ctx.addIssue({
      code: 'custom',
      path: ['participants', 'crossBorder'],
      message: 'must not exceed participants.total',
    });
  }
  if (p.withDisabilities !== undefined && p.withDisabilities > p.total) {
    ctx.addIssue({
      code: 'custom',
      path: ['participants', 'withDisabilities'],
      message: 'must not exceed participants.total',
    });
  }
}

/** v1 stored flat counts and no disability count; kept so old events still parse and upcast. */
export const campHeldV1 = z
  .strictObject({
    partner,
    campId: slugSchema,
    startDate: dateSchema,
    endDate: dateSchema,
    location: textSchema,
    country: countrySchema,
    participants: countSchema,
    crossBorderParticipants: countSchema,
  })
  .superRefine(endNotBeforeStart);

export const campHeldV2 = z
  .strictObject({
    partner,
    campId: slugSchema,
    startDate: momentSchema,
    endDate: momentSchema,
    location: textSchema,
    country: countrySchema,
    participants: z.strictObject({
      total: countSchema,
      crossBorder: countSchema,
      /** Absent when not reported (all v1 camps): unknown is not zero. */
      withDisabilities: countSchema.optional(),
    }),
  })
  .superRefine(endNotBeforeStart)
  .superRefine(participantsWithinTotal);

export const staffTrainedV1 = z.strictObject({
  partner,
  trainingId: slugSchema,
  topic: textSchema,
  date: momentSchema,
  hours: z.number().positive().max(10_000).multipleOf(0.25),
  trainees: countSchema,
});

export const exchangeVisitHeldV1 = z
  .strictObject({
    partner,
    visitId: slugSchema,
    startDate: momentSchema,
    endDate: momentSchema,
    location: textSchema,
    participants: countSchema,
    organisations: countSchema,
  })
  .superRefine(endNotBeforeStart);

export const inclusionMeasureDeliveredV1 = z.strictObject({
  partner,
  measureId: slugSchema,
  date: dateSchema,
  sessions: countSchema,
  participants: countSchema,
});

/** `publicEventId`, not `eventId`: every stored event already has an `eventId`, and corrections refer to that one. */
export const publicEventHeldV1 = z
  .strictObject({
    partner,
    publicEventId: slugSchema,
    date: momentSchema,
    location: textSchema,
    participants: z.strictObject({ total: countSchema, crossBorder: countSchema }),
  })
  .superRefine(participantsWithinTotal);

const infrastructureFields = {
  partner,
  objectId: slugSchema,
  name: textSchema,
  date: dateSchema,
  capacity: countSchema.optional(),
  areaM2: z.number().positive().max(10_000_000).optional(),
  /** Sources disagree on who built what: keep the reference the claim came from. */
  source: textSchema.optional(),
};

export const infrastructureWorksStartedV1 = z.strictObject(infrastructureFields);
export const infrastructureCompletedV1 = z.strictObject(infrastructureFields);

export const equipmentPurchasedV1 = z.strictObject({
  partner,
  date: dateSchema,
  description: textSchema,
  costCents: centsSchema,
});

export const qualitySystemIntroducedV1 = z.strictObject({
  partner,
  organisation: textSchema,
  methodology: textSchema,
  date: dateSchema,
});

export const expenditureDeclaredV1 = z
  .strictObject({
    partner,
    date: dateSchema,
    amountCents: centsSchema,
    erdfCents: centsSchema,
  })
  .superRefine((v, ctx) => {
    if (v.erdfCents > v.amountCents)
      ctx.addIssue({ code: 'custom', path: ['erdfCents'], message: 'must not exceed amountCents' });
  });
