import { Router } from 'express';
import { z } from 'zod';
import { calendarDateSchema, calendarPeriodBounds, slugSchema } from '@il/domain';
import {
  actorOf,
  assertMayAdminister,
  HttpError,
  mayReadProgramme,
  pageOf,
  pageParameters,
  parseInput,
  type RouteDoc,
} from '@il/http-kit';
import { toCsv } from './csv.js';
import { basisSchema, common, queryHelpers, type QueryContext } from './queryHelpers.js';

export type { QueryContext } from './queryHelpers.js';

const projectQuery = z.strictObject({
  ...common,
  period: z
    .string()
    .regex(/^P\d{1,3}$/)
    .optional(),
  partner: slugSchema.optional(),
  basis: basisSchema,
});
const evidenceQuery = z.strictObject({
  ...common,
  period: z
    .string()
    .regex(/^P\d{1,3}$/)
    .optional(),
});
const programmeQuery = z.strictObject({
  ...common,
  groupBy: z
    .enum(['priority', 'specificObjective', 'country', 'region', 'partner', 'project', 'period'])
    .default('project'),
  granularity: z.enum(['month', 'quarter', 'half-year', 'year']).optional(),
  from: calendarDateSchema.optional(),
  to: calendarDateSchema.optional(),
  format: z.enum(['json', 'csv']).default('json'),
  basis: basisSchema,
});
const seriesQuery = z.strictObject({
  ...common,
  granularity: z.enum(['month', 'quarter', 'half-year', 'year']).default('month'),
  from: calendarDateSchema.optional(),
  to: calendarDateSchema.optional(),
  basis: basisSchema,
});
const behindQuery = z.strictObject({
  ...common,
  threshold: z.coerce.number().positive().max(10).default(0.8),
  basis: basisSchema,
});
const basisField = z.enum(['recorded', 'submitted', 'verified']).meta({
  description: 'The basis of every figure: on a report basis each project counts what its basis report stated',
});
const programmesQuery = z.strictObject({ ...pageParameters, minPosition: common.minPosition });
const projectsQuery = z.strictObject({
  ...pageParameters,
  minPosition: common.minPosition,
  priority: z.string().max(64).optional(),
  specificObjective: z.string().max(64).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  status: z.enum(['not-started', 'running', 'ended']).optional(),
});

const page = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });
const programmesPage = page(z.strictObject({ programmeId: z.string(), name: z.string(), timeZone: z.string() }));
const projectsPage = page(
  z.strictObject({
    projectId: z.string(),
    priority: z.string(),
    specificObjective: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    countries: z.array(z.string()),
    status: z.enum(['not-started', 'running', 'ended']),
  }),
);

const period = z.strictObject({ id: z.string(), start: z.string(), end: z.string() });
const figure = z.number().nullable();
const projectIndicatorsBody = z.strictObject({
  projectId: z.string(),
  period,
  asOf: z.string().nullable(),
  basis: z.enum(['recorded', 'submitted', 'verified']).meta({ description: 'The basis of every figure of the answer' }),
  basisReport: z
    .strictObject({ periodId: z.string(), submittedAt: z.string(), periodEnd: z.string() })
    .nullable()
    .meta({
      description:
        'On a report basis, the project report the figures come from (as recorded at its submission, up to its period end); null: none yet, and every figure is null',
    }),
  /** Share of the project's time elapsed by today (or the period's end), 0..1. */
  elapsedShare: z.number(),
  indicators: z.array(
    z.strictObject({
      code: z.string(),
      name: z.string(),
      unit: z.string(),
      target: figure,
      periodValue: figure,
      cumulativeValue: figure,
      percentOfTarget: figure,
      byPartner: z.array(
        z.strictObject({ partner: z.string(), periodId: z.string(), periodValue: figure, cumulativeValue: figure }),
      ),
    }),
  ),
});
const evidenceBody = z.strictObject({
  projectId: z.string(),
  indicator: z.string(),
  period,
  asOf: z.string().nullable(),
  value: z.number().nullable().meta({
    description:
      "The figure the rows explain: the indicator's value in the period (for the whole project without a period); null for a stock with no report",
  }),
  events: z.array(
    z.strictObject({
      outputEventId: z.string(),
      sourceEventId: z.string(),
      type: z.string(),
      partner: z.string(),
      date: z.string(),
      value: z.number(),
      distinctKey: z.string().optional(),
      recordedAt: z.string(),
      counted: z.boolean().meta({
        description:
          "Whether this contribution is part of the figure: every one of a sum or count; a distinct key's first occurrence in the project; the largest of a max; each partner's latest of a stock",
      }),
      countedValue: z.number().meta({ description: 'How much of the figure it makes: the rows add up to `value`' }),
    }),
  ),
});
const behindTargetBody = z.strictObject({
  programmeId: z.string(),
  threshold: z.number(),
  today: z.string(),
  basis: basisField,
  projects: z.array(
    z.strictObject({
      projectId: z.string(),
      elapsedShare: z.number(),
      indicators: z.array(
        z.strictObject({ code: z.string(), target: figure, achieved: z.number(), achievedShare: z.number() }),
      ),
    }),
  ),
});
const programmeIndicatorsBody = z.strictObject({
  programmeId: z.string(),
  groupBy: z.enum(['priority', 'specificObjective', 'country', 'region', 'partner', 'project', 'period']),
  from: z.string(),
  to: z.string(),
  asOf: z.string().nullable(),
  basis: basisField,
  rows: z.array(
    z.strictObject({
      indicator: z.string(),
      name: z.string(),
      unit: z.string(),
      group: z.string(),
      value: figure,
      cumulativeValue: figure,
    }),
  ),
});
const seriesBody = z.array(z.strictObject({ time: z.string(), period: z.string(), value: figure, cumulative: figure }));

export const queryRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/programmes',
    response: programmesPage,
    query: programmesQuery,
    summary: 'The programmes the caller may read, by id, a page at a time (?limit=&cursor=)',
    tag: 'queries',
  },
  {
    method: 'get',
    path: '/v1/programmes/:programmeId/projects',
    response: projectsPage,
    query: projectsQuery,
    summary:
      "A programme's projects by id, with their partners' countries and status today (?priority=&specificObjective=&country=&status=not-started|running|ended&limit=&cursor=)",
    tag: 'queries',
  },
  {
    method: 'get',
    path: '/v1/projects/:projectId/indicators',
    response: projectIndicatorsBody,
    query: projectQuery,
    summary:
      'Progress per indicator: period and cumulative value, target, %, per partner, time elapsed (?period=&partner=&asOf=&basis=recorded|submitted|verified&minPosition=)',
    tag: 'queries',
  },
  {
    method: 'get',
    path: '/v1/projects/:projectId/indicators/:code/evidence',
    response: evidenceBody,
    query: evidenceQuery,
    summary: 'The events behind a number (?period=&asOf=)',
    tag: 'queries',
  },
  {
    method: 'get',
    path: '/v1/programmes/:programmeId/indicators',
    csv: true,
    response: programmeIndicatorsBody,
    query: programmeQuery,
    summary:
      'Outputs across projects (?groupBy=priority|specificObjective|country|region|partner|project|period&from=&to=&asOf=&basis=&format=csv)',
    tag: 'queries',
  },
  {
    method: 'get',
    path: '/v1/programmes/:programmeId/indicators/:code/series',
    response: seriesBody,
    query: seriesQuery,
    summary: 'Time series for Grafana (Infinity data source): [{ time, value, cumulative }] per calendar period',
    tag: 'grafana',
  },
  {
    method: 'post',
    path: '/v1/admin/rebuild',
    response: z.strictObject({ events: z.number().int(), ms: z.number() }),
    summary: 'Rebuild the indicator views from position 0 beside the live ones, then switch atomically',
    tag: 'admin',
    conditional: false,
    success: { '200': '{ events, ms }: the views were rebuilt and switched' },
    responses: { '500': 'rebuild-failed: the live views are unchanged' },
    problems: { '500': ['rebuild-failed'], '409': ['rebuild-running'] },
  },
  {
    method: 'get',
    path: '/v1/programmes/:programmeId/projects/behind-target',
    response: behindTargetBody,
    query: behindQuery,
    summary: 'Projects whose achievement lags elapsed time (?threshold=0.8&basis=recorded|submitted|verified)',
    tag: 'queries',
  },
];

export function queryRouter(ctx: QueryContext): Router {
  const router = Router();

  const { awaitPosition, asOfIn, todayIn, param, readableProject, readableProgramme, knownIndicator, knownPartner } =
    queryHelpers(ctx);

  router.get('/v1/projects/:projectId/indicators', async (req, res) => {
    const q = parseInput(projectQuery, req.query, 'query');
    await awaitPosition(q.minPosition);
    const scope = await readableProject(req, res);
    knownPartner(scope, q.partner);
    res.json(
      await ctx.views.projectIndicators(scope.projectId, {
        periodId: q.period,
        partner: q.partner,
        basis: q.basis,
        asOf: asOfIn(scope, q.asOf),
        today: todayIn(scope),
        version: scope.version,
      }),
    );
  });

  router.get('/v1/projects/:projectId/indicators/:code/evidence', async (req, res) => {
    const q = parseInput(evidenceQuery, req.query, 'query');
    await awaitPosition(q.minPosition);
    const scope = await readableProject(req, res);
    res.json(
      await ctx.views.indicatorEvidence(scope.projectId, knownIndicator(scope, param(req, 'code')), {
        periodId: q.period,
        asOf: asOfIn(scope, q.asOf),
      }),
    );
  });

  router.get('/v1/programmes', async (req, res) => {
    const q = parseInput(programmesQuery, req.query, 'query');
    await awaitPosition(q.minPosition);
    const actor = actorOf(res);
    const readable = (await ctx.views.listProgrammes()).filter((p) => mayReadProgramme(actor, p.programmeId));
    res.json(pageOf(readable, (p) => p.programmeId, q));
  });

  router.get('/v1/programmes/:programmeId/projects', async (req, res) => {
    const q = parseInput(projectsQuery, req.query, 'query');
    await awaitPosition(q.minPosition);
    const scope = await readableProgramme(req, res);
    const projects = await ctx.views.listProjects(scope.programmeId, { ...q, today: todayIn(scope) });
    res.json(pageOf(projects, (p) => p.projectId, q));
  });

  router.get('/v1/programmes/:programmeId/indicators', async (req, res) => {
    const q = parseInput(programmeQuery, req.query, 'query');
    await awaitPosition(q.minPosition);
    const scope = await readableProgramme(req, res);
    const result = await ctx.views.programmeIndicators(scope.programmeId, {
      ...q,
      asOf: asOfIn(scope, q.asOf),
      version: scope.version,
    });
    if (q.format === 'csv') {
      res.type('text/csv').set('content-disposition', `attachment; filename="${result.programmeId}-indicators.csv"`);
      res.send(toCsv(result.rows, ['indicator', 'name', 'unit', 'group', 'value', 'cumulativeValue']));
      return;
    }
    res.json(result);
  });

  router.get('/v1/programmes/:programmeId/projects/behind-target', async (req, res) => {
    const q = parseInput(behindQuery, req.query, 'query');
    await awaitPosition(q.minPosition);
    const scope = await readableProgramme(req, res);
    res.json(
      await ctx.views.projectsBehindTarget(scope.programmeId, {
        threshold: q.threshold,
        today: todayIn(scope),
        asOf: asOfIn(scope, q.asOf),
        basis: q.basis,
      }),
    );
  });
  router.get('/v1/programmes/:programmeId/indicators/:code/series', async (req, res) => {
    const q = parseInput(seriesQuery, req.query, 'query');
    await awaitPosition(q.minPosition);
    const scope = await readableProgramme(req, res);
    const code = knownIndicator(scope, param(req, 'code'));
    const result = await ctx.views.programmeIndicators(scope.programmeId, {
      groupBy: 'period',
      granularity: q.granularity,
      from: q.from,
      to: q.to,
      asOf: asOfIn(scope, q.asOf),
      basis: q.basis,
    });
    res.json(
      result.rows
        .filter((r) => r.indicator === code)
        .map((r) => ({
          time: `${calendarPeriodBounds(r.group)!.start}T00:00:00Z`,
          period: r.group,
          value: r.value,
          cumulative: r.cumulativeValue,
        })),
    );
  });

  let rebuilding: Promise<unknown> | undefined;
  router.post('/v1/admin/rebuild', async (_req, res) => {
    assertMayAdminister(actorOf(res));
    if (rebuilding) throw new HttpError(409, 'rebuild-running', 'A rebuild is already running.');
    const run = ctx.rebuild();
    rebuilding = run;
    try {
      res.json(await run);
    } finally {
      rebuilding = undefined;
    }
  });
  return router;
}
