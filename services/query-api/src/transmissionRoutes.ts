import { Router } from 'express';
import { z } from 'zod';
import {
  calendarDateSchema,
  NotFoundError,
  readStoredEvent,
  transmissionStream,
  transmissionTablesSchema,
  type DomainEvent,
  type EventOf,
} from '@il/domain';
import { createStreamStates, executeCommand } from '@il/commands';
import type { EventStore } from '@il/event-store';
import { actorOf, assertMayManageProgramme, parseInput, type RouteDoc } from '@il/http-kit';
import { commandResultSchema, etag, idempotencyKeyOf } from '@il/write-api';
import { toCsv } from './csv.js';
import { basisSchema, common, queryHelpers, type QueryContext } from './queryHelpers.js';

const tablesQuery = z.strictObject({
  cutOff: calendarDateSchema.meta({
    description: "Outputs occurred up to the end of this day in the programme's time zone",
  }),
  asOf: common.asOf,
  basis: basisSchema,
  format: z.enum(['json', 'csv']).default('json'),
  minPosition: common.minPosition,
});
const transmissionBody = z.strictObject({
  cutOff: calendarDateSchema,
  asOf: z.string().optional().meta({ description: 'Default: now (the instant is stored with the transmission)' }),
  basis: basisSchema,
});
const transmissionBodyDoc = z.strictObject({
  cutOff: z.string().meta({ description: 'YYYY-MM-DD' }),
  asOf: z.string().optional(),
  basis: z.enum(['recorded', 'submitted', 'verified']).optional(),
});
const summary = z.strictObject({
  transmissionId: z.number().int(),
  cutOff: z.string(),
  asOf: z.string(),
  basis: z.enum(['recorded', 'submitted', 'verified']),
  madeAt: z.string(),
  madeBy: z.string(),
});
const transmission = summary.extend({ tables: transmissionTablesSchema });

const tables = '/v1/programmes/:programmeId/transmission-tables';
const transmissions = '/v1/programmes/:programmeId/transmissions';

export const transmissionRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: tables,
    csv: true,
    response: transmissionTablesSchema,
    query: tablesQuery,
    summary:
      'The output and result indicator tables for the Commission (CPR 2021/1060 Art. 42, Annex VII): milestone, final target, value from selected operations, achieved, progress (?cutOff=&asOf=&basis=&format=csv)',
    tag: 'programme',
  },
  {
    method: 'post',
    path: transmissions,
    access: 'transmit',
    summary:
      'Make a transmission: the tables of this cut-off, as-of instant and basis, stored as sent (read it at Location)',
    tag: 'programme',
    body: transmissionBodyDoc,
    response: commandResultSchema,
    success: { '201': 'stored: { eventId, eventIds, streamId, version, position }, the transmission at Location' },
  },
  {
    method: 'get',
    path: transmissions,
    response: z.strictObject({ programmeId: z.string(), transmissions: z.array(summary) }),
    summary: "The programme's transmissions, oldest first",
    tag: 'programme',
  },
  {
    method: 'get',
    path: `${transmissions}/:transmissionId`,
    response: transmission,
    summary: 'One transmission as it was made: the tables as sent, not computed again',
    tag: 'programme',
  },
];

type Made = { count: number };
const evolve = (s: Made, e: DomainEvent): Made => (e.type === 'TransmissionMade' ? { count: s.count + 1 } : s);

/** A stored transmission event as the API answers it. */
function transmissionOf(e: {
  type: string;
  schemaVersion: number;
  data: unknown;
  recordedAt: Date;
  metadata: { actor: string };
}) {
  const event = readStoredEvent(e.type, e.schemaVersion, e.data) as EventOf<'TransmissionMade'>;
  const t = event.data.tables;
  return {
    transmissionId: event.data.transmissionId,
    cutOff: t.cutOff,
    asOf: t.asOf,
    basis: t.basis,
    madeAt: e.recordedAt.toISOString(),
    madeBy: e.metadata.actor,
    tables: t,
  };
}

/**
 * The indicator tables, computed from the views, and the transmissions made of them. A transmission is the one write
 * of the query API: the tables as the views answered them at that moment, stored as an event of the programme's
 * transmission stream, so "what did we send in January" is read back, never recomputed.
 */
export function transmissionRouter(ctx: QueryContext & { store: EventStore }): Router {
  const router = Router();
  const h = queryHelpers(ctx);
  const states = createStreamStates<Made>(ctx.store, { count: 0 }, evolve, 200);

  router.get(tables, async (req, res) => {
    const q = parseInput(tablesQuery, req.query, 'query');
    await h.awaitPosition(q.minPosition);
    const scope = await h.readableProgramme(req, res);
    const result = await ctx.views.transmissionTables(scope.programmeId, {
      cutOff: q.cutOff,
      asOf: h.asOfIn(scope, q.asOf) ?? ctx.now(),
      basis: q.basis,
    });
    if (q.format === 'csv') {
      const rows = [
        ...result.outputs.map((r) => ({ table: 'outputs', ...r })),
        ...result.results.map((r) => ({ table: 'results', ...r })),
      ];
      res
        .type('text/csv')
        .set('content-disposition', `attachment; filename="${result.programmeId}-transmission-${q.cutOff}.csv"`);
      res.send(
        toCsv(
          rows.map((r) => ({
            table: r.table,
            priority: r.priority,
            specificObjective: r.specificObjective,
            indicator: r.indicator,
            name: r.name,
            unit: r.unit,
            milestoneYear: r.milestone?.year ?? null,
            milestone: r.milestone?.value ?? null,
            finalTargetYear: r.finalTarget.year,
            finalTarget: r.finalTarget.value,
            baseline: r.baseline?.value ?? null,
            referenceYear: r.baseline?.referenceYear ?? null,
            selectedOperations: r.selectedOperations,
            achieved: r.achieved,
            atRisk: r.progress.atRisk,
          })),
          [
            'table',
            'priority',
            'specificObjective',
            'indicator',
            'name',
            'unit',
            'milestoneYear',
            'milestone',
            'finalTargetYear',
            'finalTarget',
            'baseline',
            'referenceYear',
            'selectedOperations',
            'achieved',
            'atRisk',
          ],
        ),
      );
      return;
    }
    res.json(result);
  });

  router.post(transmissions, async (req, res) => {
    const body = parseInput(transmissionBody, req.body ?? {}, 'transmission');
    const scope = await h.readableProgramme(req, res);
    const actor = actorOf(res);
    assertMayManageProgramme(actor, scope.programmeId, 'transmit');
    const asOfText = body.asOf === undefined ? undefined : parseInput(common.asOf, body.asOf, 'asOf');
    const asOf = h.asOfIn(scope, asOfText) ?? ctx.now();
    const computed = await ctx.views.transmissionTables(scope.programmeId, {
      cutOff: body.cutOff,
      asOf,
      basis: body.basis,
    });
    const key = idempotencyKeyOf(req);
    const streamId = transmissionStream(scope.programmeId);
    const result = await executeCommand(ctx.store, states, {
      streamId,
      actor: actor.id,
      correlationId: String(res.locals['correlationId']),
      idempotency: key ? { key, scope: `POST ${req.path}`, body: req.body } : undefined,
      decide: ({ state }) => [
        {
          type: 'TransmissionMade',
          data: { programmeId: scope.programmeId, transmissionId: state.count + 1, tables: computed },
        },
      ],
      occurredAt: () => ctx.now(),
    });
    // As every write answers: the stored event, and where to read it (a replayed retry: the earlier one's).
    const stored = result.events.at(-1)!;
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    res
      .status(201)
      .set('ETag', etag(result.version))
      .set('Location', `/v1/programmes/${encodeURIComponent(scope.programmeId)}/transmissions/${stored.streamVersion}`)
      .json({
        eventId: stored.eventId,
        eventIds: result.events.map((e) => e.eventId),
        streamId: result.streamId,
        version: result.version,
        position: result.position,
      });
  });

  router.get(transmissions, async (req, res) => {
    const scope = await h.readableProgramme(req, res);
    const stored = await ctx.store.readStream(transmissionStream(scope.programmeId));
    const list = stored.map((e) => {
      const { tables: _tables, ...rest } = transmissionOf(e);
      return rest;
    });
    res.json({ programmeId: scope.programmeId, transmissions: list });
  });

  router.get(`${transmissions}/:transmissionId`, async (req, res) => {
    const scope = await h.readableProgramme(req, res);
    const n = parseInput(z.coerce.number().int().min(1).max(1_000_000), req.params['transmissionId'], 'transmissionId');
    const [stored] = await ctx.store.readStream(transmissionStream(scope.programmeId), { from: n, to: n });
    if (!stored) throw new NotFoundError(`programme ${scope.programmeId} has no transmission ${n}`);
    res.json(transmissionOf(stored));
  });
  return router;
}
