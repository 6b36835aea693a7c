import { Router } from 'express';
import { NotFoundError, outputSchemas, slugSchema } from '@il/domain';
import { HttpError, parseInput, type RouteDoc } from '@il/http-kit';
import {
  outputView,
  partnerOfBody,
  projectCommandRoute,
  readProjectOutputs,
  sendWithEtag,
  type WriteContext,
} from '@il/write-api';

export const infrastructureRoutes: RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/projects/:projectId/infrastructure/:objectId/started',
    summary: 'Works started on an object',
    tag: 'infrastructure',
    body: outputSchemas.InfrastructureWorksStarted.omit({ objectId: true }),
  },
  {
    method: 'post',
    path: '/v1/projects/:projectId/infrastructure/:objectId/completed',
    summary: 'An object completed (again, for a later stage)',
    tag: 'infrastructure',
    body: outputSchemas.InfrastructureCompleted.omit({ objectId: true }),
  },
  {
    method: 'get',
    path: '/v1/projects/:projectId/infrastructure/:objectId',
    summary: 'An object with its works and completions',
    tag: 'infrastructure',
  },
  {
    method: 'post',
    path: '/v1/projects/:projectId/equipment',
    summary: 'Equipment purchased',
    tag: 'infrastructure',
    body: outputSchemas.EquipmentPurchased,
  },
  {
    method: 'post',
    path: '/v1/projects/:projectId/expenditure',
    summary: 'Expenditure declared (integer cents)',
    tag: 'infrastructure',
    body: outputSchemas.ExpenditureDeclared,
  },
];

/** The object id comes from the path; a body naming another one is a contradiction, not something to pick from. */
function withObjectId(body: unknown, objectId: string): unknown {
  const b = (body ?? {}) as Record<string, unknown>;
  if (b['objectId'] !== undefined && b['objectId'] !== objectId)
    throw new HttpError(400, 'validation-failed', 'objectId in the body differs from the path', [
      { path: 'objectId', message: `must be ${objectId} or absent` },
    ]);
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...b, objectId } : body;
}

export function infrastructureRouter(ctx: WriteContext): Router {
  const router = Router();
  for (const [stage, type] of [
    ['started', 'InfrastructureWorksStarted'],
    ['completed', 'InfrastructureCompleted'],
  ] as const) {
    router.post(
      `/v1/projects/:projectId/infrastructure/:objectId/${stage}`,
      projectCommandRoute(ctx, (req) => {
        const objectId = parseInput(slugSchema, req.params['objectId'], 'objectId');
        return {
          command: { type: 'RecordOutput', outputType: type, data: withObjectId(req.body, objectId) },
          partners: partnerOfBody(req.body),
        };
      }),
    );
  }

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

  router.post(
    '/v1/projects/:projectId/equipment',
    projectCommandRoute(ctx, (req) => ({
      command: { type: 'RecordOutput', outputType: 'EquipmentPurchased', data: req.body },
      partners: partnerOfBody(req.body),
    })),
  );
  router.post(
    '/v1/projects/:projectId/expenditure',
    projectCommandRoute(ctx, (req) => ({
      command: { type: 'RecordOutput', outputType: 'ExpenditureDeclared', data: req.body },
      partners: partnerOfBody(req.body),
    })),
  );
  return router;
}
