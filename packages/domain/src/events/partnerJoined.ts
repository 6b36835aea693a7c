import { z } from 'zod';
import { centsSchema } from '../money/cents.js';
import { countrySchema, dateSchema, nuts3Schema, slugSchema, textSchema } from './fields.js';

export const partnerJoinedV1 = z
  .strictObject({
    partnerCode: slugSchema,
    name: textSchema,
    country: countrySchema,
    nuts3: nuts3Schema,
    role: z.enum(['lead', 'partner']),
    budgetCents: centsSchema.optional(),
    erdfCents: centsSchema.optional(),
    /** Defaults to the project start date; decides the period in which the organisation is counted. */
    joinedOn: dateSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.erdfCents !== undefined && v.budgetCents !== undefined && v.erdfCents > v.budgetCents) {
      ctx.addIssue({ code: 'custom', path: ['erdfCents'], message: 'must not exceed budgetCents' });
    }
  });
