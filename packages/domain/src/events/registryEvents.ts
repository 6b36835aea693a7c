import { z } from 'zod';
import { centsSchema } from '../money/cents.js';
import { isValidTimeZone } from '../calendar/timeZone.js';
import { catalogueSchema } from '../catalogue/catalogueSchema.js';
import { dateSchema, endNotBeforeStart, slugSchema, textSchema } from './fields.js';

export const programmeRegisteredV1 = z.strictObject({
  programmeId: slugSchema,
  name: textSchema,
  timeZone: z.string().refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Riga' }),
  currency: z.literal('EUR'),
  catalogue: catalogueSchema,
});

export const projectRegisteredV1 = z
  .strictObject({
    projectId: slugSchema,
    programmeId: slugSchema,
    acronym: textSchema,
    title: textSchema,
    priority: textSchema,
    specificObjective: textSchema,
    startDate: dateSchema,
    endDate: dateSchema,
    reportingPeriodMonths: z.number().int().min(1).max(36).default(6),
    budgetCents: centsSchema,
    erdfCents: centsSchema,
    /** Where the figures were published: sources disagree by cents, so amounts are kept as reported. */
    source: textSchema.optional(),
  })
  .superRefine(endNotBeforeStart)
  .superRefine((v, ctx) => {
    if (v.erdfCents > v.budgetCents)
      ctx.addIssue({ code: 'custom', path: ['erdfCents'], message: 'must not exceed budgetCents' });
  });

/** A contract amendment: moves the end date (adding reporting periods); nothing reported before changes. */
export const projectAmendedV1 = z.strictObject({
  endDate: dateSchema,
  reason: textSchema,
});

export const targetSetV1 = z.strictObject({
  indicator: slugSchema,
  value: z.number().nonnegative().finite(),
  partner: slugSchema.optional(),
});
