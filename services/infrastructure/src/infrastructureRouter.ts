import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError, slugSchema } from '@il/domain';
import { parseInput, type RouteDoc } from '@il/http-kit';
import {
  mountOutputRoutes,
  withCommandResults,
  outputRouteDocs,
  outputView,
  outputViewSchema,
  readProjectOutputs,
  sendWithEtag,
  type WriteContext,
} from '@il/write-api';

export const infrastructureRoutes: RouteDoc[] = withCommandResults([
  ...outputRouteDocs('infrastructure'),
  {
    method: 'get',
    path: '/v1/projects/:projectId/infrastructure/:objectId',
    response: z.strictObject({ objectId: z.string(), completed: z.boolean(), events: z.array(outputViewSchema) }),
    summary: 'An object with its works and completions',
    tag: 'infrastructure',
  },
]);

export function infrastructureRouter(ctx: WriteContext): Router {
  const router = Router();
  mountOutputRoutes(router, ctx, 'infrastructure');

  router.get('/v1/projects/:projectId/infrastructure/:objectId', async (req, res) => {
    const { version, outputs } = await readProjectOutputs(ctx, req, res);
    const objectId = parseInput(slugSchema, req.params['objectId'], 'objectId');
    const events = [...outputs.values()].filter(
      (o) =>
        !o.retracted &&
        (o.type === 'InfrastructureWorksStarted' || o.type === 'InfrastructureCompleted') &&
        (o.data as { objectId: string }).objectId === objectId,
    );
    if (events.length === 0) throw new NotFoundError(`no infrastructure object ${objectId} in this project`);
    sendWithEtag(req, res, version, {
      objectId,
      completed: events.some((e) => e.type === 'InfrastructureCompleted'),
      events: events.map(outputView),
    });
  });

  return router;
}
