import { Router, type Request } from 'express';
import { z } from 'zod';
import { reportLineSchema, slugSchema } from '@il/domain';
import { parseInput, type RouteDoc } from '@il/http-kit';
import { common, queryHelpers, type QueryContext } from './queryHelpers.js';

const period = z.strictObject({ id: z.string(), start: z.string(), end: z.string() });
const level = z.enum(['partner', 'project']);
const status = z.enum(['submitted', 'certified', 'verified', 'reopened']);
const numbers = z.enum(['open', 'frozen']).nullable();

const submissionBody = z.strictObject({
  projectId: z.string(),
  level,
  partner: z.string().nullable(),
  periodId: z.string(),
  submission: z.number().int(),
  submittedAt: z.string(),
  actor: z.string(),
  reason: z.string(),
  period: period
    .nullable()
    .meta({ description: 'As the contract had it at submission; null before numbers were kept' }),
  previousPeriodId: z.string().nullable(),
  lines: z
    .array(reportLineSchema)
    .nullable()
    .meta({ description: 'Per indicator, the numbers as submitted; null for submissions from before they were kept' }),
});
const reportState = {
  projectId: z.string(),
  level,
  partner: z.string().nullable(),
  periodId: z.string(),
  asOf: z.string().nullable(),
  status,
  numbers: numbers.meta({ description: 'While reopened: whether its numbers are open again or stay frozen' }),
  latest: submissionBody,
};
const reportBody = z.strictObject({
  ...reportState,
  history: z.array(
    z.strictObject({
      transition: status,
      submission: z.number().int(),
      numbers,
      reason: z.string(),
      actor: z.string(),
      recordedAt: z.string(),
      eventId: z.string(),
    }),
  ),
});
const changed = z.strictObject({
  outputEventId: z.string(),
  sourceEventId: z.string(),
  type: z.string(),
  partner: z.string(),
  date: z.string(),
  value: z.number(),
  recordedAt: z.string(),
});
const figure = z.number().nullable();
const changesBody = z.strictObject({
  projectId: z.string(),
  report: z.strictObject({
    level,
    partner: z.string().nullable(),
    periodId: z.string(),
    submission: z.number().int(),
    submittedAt: z.string(),
  }),
  period,
  indicators: z.array(
    z.strictObject({
      code: z.string(),
      name: z.string(),
      unit: z.string(),
      reported: figure,
      now: figure,
      difference: figure,
      byPartner: z.array(z.strictObject({ partner: z.string(), reported: figure, now: figure })),
      added: z.array(changed),
      removed: z.array(changed),
    }),
  ),
});

const asOfQuery = z.strictObject({ asOf: common.asOf, minPosition: common.minPosition });
const changesQuery = z.strictObject({ partner: slugSchema.optional(), minPosition: common.minPosition });
const submissionNumber = z.coerce.number().int().min(1).max(10_000);

const report = '/v1/projects/:projectId/reports/:periodId';
const partnerReport = `${report}/partners/:partner`;

export const reportRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/projects/:projectId/reports',
    response: z.strictObject({ projectId: z.string(), reports: z.array(z.strictObject(reportState)) }),
    query: asOfQuery,
    summary: "The project's partner and project reports as they stand (or stood: ?asOf=), by period",
    tag: 'reports',
  },
  {
    method: 'get',
    path: report,
    response: reportBody,
    query: asOfQuery,
    summary: 'The project report of a period: status, the numbers of its latest submission, its history (?asOf=)',
    tag: 'reports',
  },
  {
    method: 'get',
    path: partnerReport,
    response: reportBody,
    query: asOfQuery,
    summary: "A partner's report of a period: status, the numbers of its latest submission, its history (?asOf=)",
    tag: 'reports',
  },
  {
    method: 'get',
    path: `${report}/submissions/:submission`,
    response: submissionBody,
    summary: 'One submission of the project report, as stated: the same bytes forever',
    tag: 'reports',
  },
  {
    method: 'get',
    path: `${partnerReport}/submissions/:submission`,
    response: submissionBody,
    summary: "One submission of a partner's report, as stated: the same bytes forever",
    tag: 'reports',
  },
  {
    method: 'get',
    path: '/v1/projects/:projectId/changes-since-report',
    response: changesBody,
    query: changesQuery,
    summary:
      'What changed since the newest submitted project report (or ?partner= report): per indicator and partner, reported vs now, with the contributions that make the difference',
    tag: 'reports',
  },
];

export function reportRouter(ctx: QueryContext): Router {
  const router = Router();
  const h = queryHelpers(ctx);
  const periodOf = (raw: unknown) =>
    parseInput(
      z.string().regex(/^P\d{1,3}$/, { message: 'must be a reporting period id such as P4' }),
      raw,
      'periodId',
    );

  router.get('/v1/projects/:projectId/reports', async (req, res) => {
    const q = parseInput(asOfQuery, req.query, 'query');
    await h.awaitPosition(q.minPosition);
    const scope = await h.readableProject(req, res);
    const reports = await ctx.views.projectReports(scope.projectId, { asOf: h.asOfIn(scope, q.asOf) });
    res.json({ projectId: scope.projectId, reports });
  });

  for (const path of [report, partnerReport]) {
    router.get(path, async (req, res) => {
      const q = parseInput(asOfQuery, req.query, 'query');
      await h.awaitPosition(q.minPosition);
      const scope = await h.readableProject(req, res);
      const partner = path === partnerReport ? h.param(req, 'partner') : undefined;
      h.knownPartner(scope, partner);
      const key = { periodId: periodOf(req.params['periodId']), partner };
      res.json(await ctx.views.projectReport(scope.projectId, key, { asOf: h.asOfIn(scope, q.asOf) }));
    });
    router.get(`${path}/submissions/:submission`, async (req: Request, res) => {
      const scope = await h.readableProject(req, res);
      const partner = path === partnerReport ? h.param(req, 'partner') : undefined;
      h.knownPartner(scope, partner);
      const key = { periodId: periodOf(req.params['periodId']), partner };
      const n = parseInput(submissionNumber, req.params['submission'], 'submission');
      res.json(await ctx.views.reportSubmission(scope.projectId, key, n));
    });
  }

  router.get('/v1/projects/:projectId/changes-since-report', async (req, res) => {
    const q = parseInput(changesQuery, req.query, 'query');
    await h.awaitPosition(q.minPosition);
    const scope = await h.readableProject(req, res);
    h.knownPartner(scope, q.partner);
    res.json(await ctx.views.changesSinceReport(scope.projectId, { partner: q.partner }));
  });
  return router;
}
