import { Router } from 'express';
import { z } from 'zod';
import {
  builtinCatalogues,
  catalogueSchema,
  decideProgrammeTargets,
  decideRegisterProgramme,
  eventSchemas,
  NotFoundError,
  InvalidEventError,
  RuleViolationError,
  type FieldIssue,
  slugSchema,
  textSchema,
  validateEvent,
  type EventOf,
  programmeStream,
} from '@il/domain';
import { executeCommand } from '@il/commands';
import {
  actorOf,
  assertMayAdminister,
  assertMayManageProgramme,
  assertMayReadProgramme,
  assertMayWrite,
  parseInput,
  type RouteDoc,
} from '@il/http-kit';
import { pseudonymize, type PseudonymKeyStore } from '@il/pseudonyms';
import {
  idempotencyKeyOf,
  ifMatchOf,
  projectCommandRoute,
  readProject,
  sendCommandResult,
  sendWithEtag,
  withCommandResults,
  type WriteContext,
} from '@il/write-api';

const programmeBody = z.strictObject({
  programmeId: z.unknown(),
  name: z.unknown(),
  timeZone: z.unknown(),
  currency: z.unknown().default('EUR'),
  /** A built-in catalogue id (`interreg-2021-2027`, `lv-lt-2014-2020`) or a catalogue of the programme's own. */
  catalogue: z.union([z.string(), z.record(z.string(), z.unknown())]),
});

const targetsBody = z.strictObject({ targets: z.array(z.unknown()).min(1).max(500) });
const reportBody = z.strictObject({
  /** A partner report's partner; absent for the project report. */
  partner: slugSchema.optional(),
  /** Why: every transition of a report says it (a reopening what is to be fixed). */
  reason: textSchema,
});
const pseudonymBody = z.strictObject({ identifiers: z.array(z.string().min(1).max(200)).min(1).max(1000) });

/** A project as GET answers it: its registration's fields beside these. */
const projectView = z.looseObject({
  projectId: z.string(),
  programmeId: z.string(),
  periods: z.array(z.strictObject({ id: z.string(), start: z.string(), end: z.string() })),
  partners: z.array(eventSchemas.PartnerJoined),
  targets: z.record(z.string(), z.number()),
  /** `P2` (project report) or `P2@PP5` (partner report) → its status; a report not listed is a draft. */
  reports: z.record(z.string(), z.enum(['submitted', 'certified', 'verified', 'reopened'])),
  /** Amendments recorded. */
  amendments: z.number().int(),
  /** Outputs recorded and not retracted. */
  outputs: z.number().int(),
  version: z.number().int(),
});

export const registryRoutes: RouteDoc[] = withCommandResults([
  // The time zone documented as the list of IANA names this runtime knows: what the server checks, where a plain
  // string would let a client (or a fuzzer) send names it must refuse.
  {
    method: 'post',
    path: '/v1/programmes',
    access: 'admin',
    summary: 'Register a programme with its indicator catalogue',
    tag: 'registry',
    body: eventSchemas.ProgrammeRegistered.extend({
      currency: eventSchemas.ProgrammeRegistered.shape.currency.optional().describe('default EUR'),
      timeZone: z.enum([...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])] as [string, ...string[]]),
      catalogue: z.union([z.enum(Object.keys(builtinCatalogues) as [string, ...string[]]), catalogueSchema]),
    }),
  },
  {
    method: 'get',
    path: '/v1/programmes/:programmeId',
    response: eventSchemas.ProgrammeRegistered,
    access: 'read-programme',
    summary: 'A programme and its catalogue',
    tag: 'registry',
  },
  {
    method: 'put',
    path: '/v1/programmes/:programmeId/targets',
    access: 'programme-settings',
    summary:
      "Set or amend the programme's own targets per indicator and specific objective: milestone and final target (outputs), baseline and final target (results)",
    tag: 'programme',
    body: z.strictObject({ targets: z.array(eventSchemas.ProgrammeTargetSet).min(1).max(500) }),
    success: {
      '201': 'targets changed: { eventId, eventIds, streamId, version, position }',
      '200': 'every target already had its value: nothing stored',
    },
  },
  {
    method: 'get',
    path: '/v1/programmes/:programmeId/targets',
    response: z.strictObject({ programmeId: z.string(), targets: z.array(eventSchemas.ProgrammeTargetSet) }),
    access: 'read-programme',
    summary: "The programme's current targets (as of an earlier instant: in the transmission tables, ?asOf=)",
    tag: 'programme',
  },
  {
    method: 'post',
    path: '/v1/projects',
    access: 'register-project',
    summary: 'Register a project',
    tag: 'registry',
    body: eventSchemas.ProjectRegistered,
  },
  {
    method: 'get',
    path: '/v1/projects/:projectId',
    response: projectView,
    summary: 'A project: dates, periods, partners, targets, reports',
    tag: 'registry',
  },
  {
    method: 'post',
    path: '/v1/projects/:projectId/amendments',
    access: 'project-settings',
    summary: 'Extend the project end date (contract amendment)',
    tag: 'registry',
    body: eventSchemas.ProjectAmended,
  },
  {
    method: 'post',
    path: '/v1/projects/:projectId/partners',
    access: 'project-settings',
    summary: 'A partner joins the project',
    tag: 'registry',
    body: eventSchemas.PartnerJoined,
  },
  {
    method: 'get',
    path: '/v1/projects/:projectId/partners/:partnerCode',
    response: eventSchemas.PartnerJoined,
    summary: 'One partner',
    tag: 'registry',
  },
  {
    method: 'put',
    path: '/v1/projects/:projectId/targets',
    access: 'project-settings',
    summary: 'Set targets per indicator (optionally per partner)',
    tag: 'registry',
    body: z.strictObject({ targets: z.array(eventSchemas.TargetSet).min(1).max(500) }),
    success: {
      '201': 'targets changed: { eventId, eventIds, streamId, version, position }',
      '200': 'every target already had its value: nothing stored',
    },
  },
  {
    method: 'get',
    path: '/v1/projects/:projectId/targets',
    response: z.strictObject({ targets: z.record(z.string(), z.number()) }),
    summary: 'Current targets',
    tag: 'registry',
  },
  {
    method: 'post',
    path: '/v1/projects/:projectId/reports/:periodId/submit',
    access: 'submit-report',
    summary:
      'Submit a partner report (with partner: its partner manager) or the project report (its project manager); the report stores its numbers',
    tag: 'reports',
    body: reportBody,
  },
  {
    method: 'post',
    path: '/v1/projects/:projectId/reports/:periodId/approve',
    access: 'approve-report',
    summary:
      'Certify a submitted partner report (first-level control) or verify the submitted project report (the secretariat)',
    tag: 'reports',
    body: reportBody,
  },
  {
    method: 'post',
    path: '/v1/projects/:projectId/reports/:periodId/reopen',
    access: 'reopen-report',
    summary:
      'Reopen a submitted, certified or verified report: the newest of its layer with its numbers open, an older one with them frozen',
    tag: 'reports',
    body: reportBody,
  },
  {
    method: 'post',
    path: '/v1/projects/:projectId/pseudonyms',
    access: 'pseudonymize',
    summary: 'Keyed pseudonyms (HMAC, per-project key outside the event log) for distinct-person counting',
    tag: 'privacy',
    body: pseudonymBody,
    conditional: false,
    success: { '200': 'the pseudonyms, in the order of the identifiers' },
    response: z.strictObject({ projectId: z.string(), pseudonyms: z.array(z.string()) }),
  },
  {
    method: 'delete',
    path: '/v1/projects/:projectId/pseudonym-key',
    access: 'project-settings',
    summary: 'Destroy the project key: earlier pseudonyms become unlinkable',
    tag: 'privacy',
    conditional: false,
    success: { '204': 'the key is destroyed' },
  },
]);

/** Each target validated as the event it records, every bad field of every target listed (400). */
function parseTargets(targets: unknown[]): EventOf<'ProgrammeTargetSet'>[] {
  const issues: FieldIssue[] = [];
  const events = targets.flatMap((t, i) => {
    try {
      return [validateEvent('ProgrammeTargetSet', t) as EventOf<'ProgrammeTargetSet'>];
    } catch (e) {
      if (!(e instanceof InvalidEventError)) throw e;
      issues.push(...e.errors.map((x) => ({ ...x, path: `targets.${i}.${x.path}` })));
      return [];
    }
  });
  if (issues.length > 0) throw new InvalidEventError('invalid programme targets', issues);
  return events;
}

export function registryRouter(ctx: WriteContext, keys: PseudonymKeyStore): Router {
  const router = Router();

  // Pseudonyms for distinct-person counting: the identifiers are hashed with the project's key and forgotten; only
  // the pseudonyms leave. Nothing here touches the event log.
  router.post('/v1/projects/:projectId/pseudonyms', async (req, res) => {
    const { project } = await readProject(ctx, req, res);
    const projectId = project.project.projectId;
    assertMayWrite(actorOf(res), {
      programmeId: project.project.programmeId,
      projectId,
      partners: [],
      action: 'pseudonymize',
    });
    const { identifiers } = parseInput(pseudonymBody, req.body, 'identifiers');
    const key = await keys.keyFor(projectId);
    res.json({ projectId, pseudonyms: identifiers.map((i) => pseudonymize(key, i)) });
  });

  router.delete('/v1/projects/:projectId/pseudonym-key', async (req, res) => {
    const { project } = await readProject(ctx, req, res);
    assertMayWrite(actorOf(res), {
      programmeId: project.project.programmeId,
      projectId: project.project.projectId,
      partners: [],
      action: 'project-settings',
    });
    await keys.destroy(project.project.projectId);
    res.status(204).end();
  });

  router.post('/v1/programmes', async (req, res) => {
    const body = parseInput(programmeBody, req.body, 'programme');
    let catalogue: unknown = body.catalogue;
    if (typeof body.catalogue === 'string') {
      if (!Object.hasOwn(builtinCatalogues, body.catalogue)) {
        throw new RuleViolationError('unknown catalogue', [
          { path: 'catalogue', message: `use one of ${Object.keys(builtinCatalogues).join(', ')} or a full catalogue` },
        ]);
      }
      catalogue = builtinCatalogues[body.catalogue];
    }
    const event = validateEvent('ProgrammeRegistered', { ...body, catalogue }) as EventOf<'ProgrammeRegistered'>;
    const actor = actorOf(res);
    assertMayAdminister(actor);
    const key = idempotencyKeyOf(req);
    const streamId = programmeStream(event.data.programmeId);
    const result = await executeCommand(ctx.store, ctx.programmes, {
      streamId,
      actor: actor.id,
      correlationId: String(res.locals['correlationId']),
      ifMatch: ifMatchOf(req),
      idempotency: key ? { key, scope: 'POST /v1/programmes', body: req.body } : undefined,
      decide: ({ state }) => decideRegisterProgramme(event.data, state),
      occurredAt: () => ctx.now(),
    });
    sendCommandResult(ctx, res, result, `/v1/programmes/${encodeURIComponent(event.data.programmeId)}`);
  });

  const programmeTargetsBody = z.strictObject({ targets: z.array(z.unknown()).min(1).max(500) });
  router.put('/v1/programmes/:programmeId/targets', async (req, res) => {
    const id = parseInput(slugSchema, req.params['programmeId'], 'programmeId');
    const { targets } = parseInput(programmeTargetsBody, req.body, 'targets');
    const events = parseTargets(targets);
    const actor = actorOf(res);
    assertMayManageProgramme(actor, id, 'programme-settings');
    const key = idempotencyKeyOf(req);
    const streamId = programmeStream(id);
    const result = await executeCommand(ctx.store, ctx.programmes, {
      streamId,
      actor: actor.id,
      correlationId: String(res.locals['correlationId']),
      ifMatch: ifMatchOf(req),
      idempotency: key ? { key, scope: `PUT /v1/programmes/${id}/targets`, body: req.body } : undefined,
      decide: ({ state }) => decideProgrammeTargets(state, events),
      occurredAt: () => ctx.now(),
    });
    sendCommandResult(ctx, res, result, `/v1/programmes/${encodeURIComponent(id)}/targets`);
  });

  router.get('/v1/programmes/:programmeId/targets', async (req, res) => {
    const id = parseInput(slugSchema, req.params['programmeId'], 'programmeId');
    assertMayReadProgramme(actorOf(res), id);
    const { state, version } = await ctx.programmes.load(programmeStream(id));
    if (state.status !== 'registered') throw new NotFoundError(`programme ${id} not found`);
    const targets = [...state.targets.values()].sort((a, b) =>
      a.specificObjective === b.specificObjective
        ? a.indicator.localeCompare(b.indicator)
        : a.specificObjective.localeCompare(b.specificObjective),
    );
    sendWithEtag(req, res, version, { programmeId: id, targets });
  });

  router.get('/v1/programmes/:programmeId', async (req, res) => {
    const id = parseInput(slugSchema, req.params['programmeId'], 'programmeId');
    // As on the query side: a programme outside the caller's scope answers as one that does not exist.
    assertMayReadProgramme(actorOf(res), id);
    const { state, version } = await ctx.programmes.load(programmeStream(id));
    if (state.status !== 'registered') throw new NotFoundError(`programme ${id} not found`);
    sendWithEtag(req, res, version, state.programme);
  });

  router.post(
    '/v1/projects',
    projectCommandRoute(ctx, (req) => ({ type: 'RegisterProject', data: req.body })),
  );

  router.get('/v1/projects/:projectId', async (req, res) => {
    const { project, version } = await readProject(ctx, req, res);
    sendWithEtag(req, res, version, {
      ...project.project,
      periods: project.periods,
      partners: [...project.partners.values()],
      targets: Object.fromEntries(project.targets),
      reports: Object.fromEntries(
        [...project.reports].map(([key, r]) => [
          key,
          r.status === 'approved' ? (r.level === 'partner' ? 'certified' : 'verified') : r.status,
        ]),
      ),
      amendments: project.amendments,
      outputs: [...project.outputs.values()].filter((o) => !o.retracted).length,
      version,
    });
  });

  router.post(
    '/v1/projects/:projectId/amendments',
    projectCommandRoute(ctx, (req) => ({ type: 'AmendProject', data: req.body })),
  );
  router.post(
    '/v1/projects/:projectId/partners',
    projectCommandRoute(ctx, (req) => ({ type: 'JoinPartner', data: req.body })),
  );

  router.get('/v1/projects/:projectId/partners/:partnerCode', async (req, res) => {
    const { project, version } = await readProject(ctx, req, res);
    const partner = project.partners.get(String(req.params['partnerCode']));
    if (!partner) throw new NotFoundError(`partner ${String(req.params['partnerCode'])} not found`);
    sendWithEtag(req, res, version, partner);
  });

  router.put(
    '/v1/projects/:projectId/targets',
    projectCommandRoute(ctx, (req) => ({
      type: 'SetTargets',
      targets: parseInput(targetsBody, req.body, 'targets').targets,
    })),
  );

  router.get('/v1/projects/:projectId/targets', async (req, res) => {
    const { project, version } = await readProject(ctx, req, res);
    sendWithEtag(req, res, version, { targets: Object.fromEntries(project.targets) });
  });

  const commandOf = { submit: 'SubmitReport', approve: 'ApproveReport', reopen: 'ReopenReport' } as const;
  for (const action of ['submit', 'approve', 'reopen'] as const) {
    router.post(
      `/v1/projects/:projectId/reports/:periodId/${action}`,
      projectCommandRoute(ctx, (req) => {
        const { partner, reason } = parseInput(reportBody, req.body ?? {}, 'report');
        const data = {
          level: partner ? 'partner' : 'project',
          ...(partner ? { partner } : {}),
          periodId: req.params['periodId'],
          reason,
          // What the decision fills in: a submission's numbers, and whether a reopening opens them.
          ...(action === 'submit' ? { snapshot: null } : {}),
          ...(action === 'reopen' ? { numbers: 'open' } : {}),
        };
        return { type: commandOf[action], data };
      }),
    );
  }
  return router;
}
