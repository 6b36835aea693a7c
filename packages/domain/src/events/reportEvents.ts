import { z } from 'zod';
import { slugSchema, textSchema } from './fields.js';

/** Partner and project reports: their lifecycle events, and the numbers a submission states. */
const reportFields = {
  level: z.enum(['partner', 'project']),
  partner: slugSchema.optional(),
  periodId: z.string().regex(/^P\d{1,3}$/, { message: 'must be a reporting period id such as P4' }),
};

function partnerMatchesLevel(
  v: { level: 'partner' | 'project'; partner?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (v.level === 'partner' && !v.partner)
    ctx.addIssue({ code: 'custom', path: ['partner'], message: 'is required for a partner report' });
  if (v.level === 'project' && v.partner)
    ctx.addIssue({ code: 'custom', path: ['partner'], message: 'must be absent for a project report' });
}

const figure = z.number().finite().nullable();

/**
 * One indicator's numbers in a submitted report (Jems' project-report output line): the report's own value is
 * what the period holds as recorded at submission; "previously reported" is the cumulative value of the newest
 * earlier report of the same layer, as that report stated it; `adjustment` is what was recorded later for earlier
 * periods (a late correction), so cumulative = previously reported + adjustment + this report for the additive
 * rules. Stocks (max, latest) are not additive: their adjustment is null.
 */
export const reportLineSchema = z.strictObject({
  indicator: slugSchema,
  target: figure,
  previouslyReported: figure,
  thisReport: figure,
  adjustment: figure,
  cumulative: figure,
  /** The outputs counted in `thisReport` and in `cumulative` (their original event ids). */
  thisReportEvents: z.array(z.string()),
  cumulativeEvents: z.array(z.string()),
});

export const reportSnapshotSchema = z.strictObject({
  /** The period as the contract had it at submission (an amendment may lengthen the last one later). */
  period: z.strictObject({ id: z.string(), start: z.string(), end: z.string() }),
  /** The report "previously reported" comes from (same layer, newest earlier period); null for the first. */
  previousPeriodId: z.string().nullable(),
  lines: z.array(reportLineSchema),
});

export const reportSubmittedV1 = z.strictObject(reportFields).superRefine(partnerMatchesLevel);
export const reportApprovedV1 = z.strictObject(reportFields).superRefine(partnerMatchesLevel);

/**
 * v2 carries the reason of the transition and, for a submission, the report's numbers as submitted: the report is
 * a fact of its own, so it reads the same whatever is recorded later and whatever the views are rebuilt from.
 * v1 submissions (before snapshots were kept) are lifted with a null snapshot.
 */
export const reportSubmittedV2 = z
  .strictObject({ ...reportFields, reason: textSchema, snapshot: reportSnapshotSchema.nullable() })
  .superRefine(partnerMatchesLevel);
/** Certification (partner report, by first-level control) or verification (project report, by the secretariat). */
export const reportApprovedV2 = z
  .strictObject({ ...reportFields, reason: textSchema })
  .superRefine(partnerMatchesLevel);
/**
 * Reopening a submitted, certified or verified report. `numbers` is what the decision found: `open` when it was
 * the newest report of its layer (its numbers are taken afresh when it is submitted again), `frozen` when a newer
 * one has already built on its cumulative values.
 */
export const reportReopenedV1 = z
  .strictObject({ ...reportFields, reason: textSchema, numbers: z.enum(['open', 'frozen']) })
  .superRefine(partnerMatchesLevel);
