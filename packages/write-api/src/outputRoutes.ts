import type { Router } from 'express';
import type { z } from 'zod';
import {
  NotFoundError,
  outputKinds,
  outputTypes,
  pathFieldOf,
  slugSchema,
  type OutputKindSpec,
  type OutputType,
} from '@il/domain';
import { HttpError, parseInput, type RouteDoc } from '@il/http-kit';
import { outputView, outputViewSchemaOf } from './outputView.js';
import { projectCommandRoute } from './projectCommandRoute.js';
import { readProjectOutputs, sendWithEtag } from './projectReads.js';
import type { WriteContext } from './writeContext.js';

type Group = OutputKindSpec['group'];
const kindsOf = (group: Group) =>
  outputTypes.map((type) => ({ type, ...(outputKinds[type] as OutputKindSpec) })).filter((k) => k.group === group);
const expressPath = (kind: OutputKindSpec) => `/v1/projects/:projectId/${kind.path.replace(/\{(\w+)\}/g, ':$1')}`;
/** GET by unique key where the path is a plain collection (`camps/{campId}`); objects have views of their own. */
const lookupOf = (kind: OutputKindSpec) => (kind.uniqueKey && !pathFieldOf(kind) ? kind.uniqueKey : undefined);

/** The documentation of a group's output routes, from the output kinds table. */
export function outputRouteDocs(group: Group): RouteDoc[] {
  return kindsOf(group).flatMap((kind): RouteDoc[] => {
    const field = pathFieldOf(kind);
    const schema = kind.schema as unknown as z.ZodObject;
    const lookup = lookupOf(kind);
    return [
      {
        method: 'post',
        path: expressPath(kind),
        summary: `${kind.summary} (${kind.type})`,
        tag: group,
        body: field ? schema.omit({ [field]: true } as never) : schema,
      },
      ...(lookup
        ? [
            {
              method: 'get' as const,
              path: `${expressPath(kind)}/:${lookup.field}`,
              summary: `One ${kind.type} by its ${lookup.field}`,
              tag: group,
              response: outputViewSchemaOf(kind.type),
            },
          ]
        : []),
    ];
  });
}

/** The field named in the path comes from the path; a body naming another value is a contradiction (400). */
function withPathField(body: unknown, field: string, value: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const b = body as Record<string, unknown>;
  if (b[field] !== undefined && b[field] !== value)
    throw new HttpError(400, 'validation-failed', `${field} in the body differs from the path`, [
      { path: field, message: `must be ${value} or absent` },
    ]);
  return { ...b, [field]: value };
}

/** Mounts a group's output routes (record, and read back by unique key) from the output kinds table. */
export function mountOutputRoutes(router: Router, ctx: WriteContext, group: Group): void {
  for (const kind of kindsOf(group)) {
    const field = pathFieldOf(kind);
    const outputType: OutputType = kind.type;
    router.post(
      expressPath(kind),
      projectCommandRoute(ctx, (req) => ({
        type: 'RecordOutput',
        outputType,
        data: field ? withPathField(req.body, field, parseInput(slugSchema, req.params[field], field)) : req.body,
      })),
    );
    const lookup = lookupOf(kind);
    if (!lookup) continue;
    router.get(`${expressPath(kind)}/:${lookup.field}`, async (req, res) => {
      const { project, version, outputs } = await readProjectOutputs(ctx, req, res);
      const id = parseInput(slugSchema, req.params[lookup.field], lookup.field);
      const eventId = project.keys.get(`${lookup.prefix}:${id}`);
      const output = eventId === undefined ? undefined : outputs.get(eventId);
      if (!output) throw new NotFoundError(`no ${kind.type} ${id} in this project`);
      sendWithEtag(req, res, version, outputView(output));
    });
  }
}
