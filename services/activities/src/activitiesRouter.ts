import { Router } from 'express';
import { z } from 'zod';
import { eventSchemas, NotFoundError, slugSchema } from '@il/domain';
import { parseInput, type RouteDoc } from '@il/http-kit';
import {
  listOutputs,
  mountOutputRoutes,
  withCommandResults,
  outputListRoute,
  outputRouteDocs,
  outputView,
  outputViewSchema,
  outputViewSchemaOf,
  projectCommandRoute,
  readProjectOutputs,
  sendWithEtag,
  type WriteContext,
} from '@il/write-api';

export const activitiesRoutes: RouteDoc[] = withCommandResults([
  ...outputRouteDocs('activities'),
  {
    method: 'get',
    path: '/v1/projects/:projectId/inclusion-measures/:measureId',
    response: z.strictObject({
      measureId: z.string(),
      deliveries: z.array(outputViewSchemaOf('InclusionMeasureDelivered')),
    }),
    summary: 'Every delivery of one inclusion measure',
    tag: 'activities',
  },
  outputListRoute,
  {
    method: 'get',
    path: '/v1/projects/:projectId/outputs/:eventId',
    response: outputViewSchema,
    summary: 'Any output by the event id that recorded it, with its corrections',
    tag: 'outputs',
  },
  {
    method: 'post',
    path: '/v1/projects/:projectId/corrections',
    summary: 'Correct an output with a full replacement payload',
    tag: 'outputs',
    body: eventSchemas.OutputCorrected,
  },
  {
    method: 'post',
    path: '/v1/projects/:projectId/retractions',
    summary: 'Retract an output',
    tag: 'outputs',
    body: eventSchemas.OutputRetracted,
  },
]);

export function activitiesRouter(ctx: WriteContext): Router {
  const router = Router();
  mountOutputRoutes(router, ctx, 'activities');

  router.get('/v1/projects/:projectId/inclusion-measures/:measureId', async (req, res) => {
    const { version, outputs } = await readProjectOutputs(ctx, req, res);
    const id = parseInput(slugSchema, req.params['measureId'], 'measureId');
    const deliveries = [...outputs.values()].filter(
      (o) =>
        o.type === 'InclusionMeasureDelivered' && !o.retracted && (o.data as { measureId: string }).measureId === id,
    );
    if (deliveries.length === 0) throw new NotFoundError(`no inclusion measure ${id} in this project`);
    sendWithEtag(req, res, version, { measureId: id, deliveries: deliveries.map(outputView) });
  });

  router.get('/v1/projects/:projectId/outputs', (req, res) => listOutputs(ctx, req, res));

  router.get('/v1/projects/:projectId/outputs/:eventId', async (req, res) => {
    const { version, outputs } = await readProjectOutputs(ctx, req, res);
    const output = outputs.get(String(req.params['eventId']));
    if (!output) throw new NotFoundError(`no output ${String(req.params['eventId'])} in this project`);
    sendWithEtag(req, res, version, outputView(output));
  });

  router.post(
    '/v1/projects/:projectId/corrections',
    projectCommandRoute(ctx, (req) => ({ type: 'CorrectOutput', data: req.body })),
  );
  router.post(
    '/v1/projects/:projectId/retractions',
    projectCommandRoute(ctx, (req) => ({ type: 'RetractOutput', data: req.body })),
  );
  return router;
}
