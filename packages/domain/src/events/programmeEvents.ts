import { z } from 'zod';
import { dateSchema, slugSchema, textSchema } from './fields.js';

const year = z.number().int().min(2000).max(2100);
const value = z.number().nonnegative().finite();

/**
 * A programme's own target for one indicator in one specific objective (and its priority), as the programme
 * document sets it (CPR 2021/1060 Article 17 and Annex I; Annex VII's indicator tables report against it): output
 * indicators have a milestone (end of 2024 for 2021-2027) and a final target (2029); result indicators a baseline
 * with its reference year and a final target. Setting it again amends it; every version stays (as-of).
 */
export const programmeTargetSetV1 = z
  .strictObject({
    indicator: slugSchema,
    priority: textSchema,
    specificObjective: textSchema,
    /** The start of the programme's eligibility: the time elapsed towards the milestone is measured from it. */
    countsFrom: dateSchema,
    milestone: z.strictObject({ year, value }).nullable(),
    finalTarget: z.strictObject({ year, value }),
    baseline: z.strictObject({ value, referenceYear: year }).nullable(),
    /** Where the numbers come from (the programme document, a decision, or "illustrative"). */
    source: textSchema.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.milestone && t.milestone.year > t.finalTarget.year)
      ctx.addIssue({ code: 'custom', path: ['milestone', 'year'], message: 'must not be after the final target year' });
    if (t.countsFrom.slice(0, 4) > String(t.finalTarget.year))
      ctx.addIssue({ code: 'custom', path: ['countsFrom'], message: 'must be before the final target year' });
  });

const figure = z.number().finite().nullable();

/** One row of an indicator table as transmitted (modelled on CPR Annex VII; see docs/transmission.md). */
export const transmissionRowSchema = z.strictObject({
  priority: z.string(),
  specificObjective: z.string(),
  indicator: z.string(),
  name: z.string(),
  unit: z.string(),
  milestone: z.strictObject({ year, value }).nullable(),
  finalTarget: z.strictObject({ year, value }),
  baseline: z.strictObject({ value, referenceYear: year }).nullable(),
  /** The sum of the targets of the operations (projects) selected in the specific objective by `asOf`. */
  selectedOperations: z.number().finite(),
  /** Up to the cut-off, by the indicator's rule across projects (distinct counts per project, then summed). */
  achieved: figure,
  progress: z.strictObject({
    ofMilestone: figure,
    ofFinalTarget: figure,
    /** Share of the time from `countsFrom` to the end of the milestone year elapsed by the cut-off (0..1). */
    elapsedToMilestone: figure,
    atRisk: z.boolean(),
  }),
});

export const transmissionTablesSchema = z.strictObject({
  programmeId: z.string(),
  cutOff: dateSchema,
  asOf: z.string(),
  basis: z.enum(['recorded', 'submitted', 'verified']),
  outputs: z.array(transmissionRowSchema),
  results: z.array(transmissionRowSchema),
});

/** A transmission as it was made: who made it is the event's actor, when its recorded time; the tables verbatim. */
export const transmissionMadeV1 = z.strictObject({
  programmeId: slugSchema,
  transmissionId: z.number().int().min(1),
  tables: transmissionTablesSchema,
});
