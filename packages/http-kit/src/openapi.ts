import { z } from 'zod';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path: `/v1/projects/:projectId/camps`. */
  path: string;
  summary: string;
  tag: string;
  body?: z.ZodType;
  /** Status codes beyond 200/201 and the problem responses every route has. */
  responses?: Record<string, string>;
}

function jsonSchema(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' });
  } catch {
    return { type: 'object' };
  }
}

/** OpenAPI 3.1 document generated from the routes' zod schemas, so the contract cannot drift from validation. */
export function openApiDocument(title: string, routes: readonly RouteDoc[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const params = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const problem = { description: 'Problem details (RFC 7807)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    paths[path] ??= {};
    paths[path]![r.method] = {
      summary: r.summary,
      tags: [r.tag],
      parameters: [
        ...params,
        ...(r.method === 'get' ? [] : [
          { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } },
          { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' } },
        ]),
      ],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } } : {}),
      responses: {
        [r.method === 'get' ? '200' : '201']: { description: r.method === 'get' ? 'Current state, with an ETag' : '{ eventId, eventIds, streamId, version, position }' },
        ...Object.fromEntries(Object.entries(r.responses ?? {}).map(([code, description]) => [code, { description }])),
        '400': problem,
        '404': problem,
        ...(r.method === 'get' ? {} : { '409': problem, '412': problem, '413': problem, '415': problem, '422': problem }),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title, version: '1.0.0' },
    paths,
    components: {
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
