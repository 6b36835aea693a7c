import { productVersion } from './version.js';
import { z } from 'zod';
import { slugSchema, uuidSchema } from '@il/domain';
import { rolesFor, type Access } from './authorization.js';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path: `/v1/projects/:projectId/camps`. */
  path: string;
  summary: string;
  tag: string;
  body?: z.ZodType;
  /** Takes Idempotency-Key and If-Match (every write that records events; default true for non-GET routes). */
  conditional?: boolean;
  /** Success statuses, when not the default (200 for GET with 304 to If-None-Match, 201 for writes). */
  success?: Record<string, string>;
  /** Status codes beyond the success ones and the problem responses every route has. */
  responses?: Record<string, string>;
  /** The query parameters, as the handler parses them. */
  query?: z.ZodObject;
  /** Who may call it (default: reads of a project or programme by path, writes as outputs, public outside /v1). */
  access?: Access;
  /** The JSON body of its success responses (not 204 or 304), as the handler sends it. */
  response?: z.ZodType;
  /** Also answers text/csv (`format=csv`). */
  csv?: boolean;
  /** Also answers text/html (to a browser's Accept). */
  html?: boolean;
  /** Problem types this route sends beyond every route's (problemTypes), by status. */
  problems?: Record<string, string[]>;
}

/**
 * The problem types (the slug ending `type`) every route may answer with, by status; writes add their own. Listed in
 * the document as `x-problem-types`; the e2e suite fails a problem whose type its status does not list.
 */
const problemTypes = {
  all: {
    '400': ['validation-failed', 'malformed-json', 'bad-request'],
    '404': ['not-found'],
  },
  v1: {
    '401': ['unauthorized'],
    '403': ['forbidden'],
    '503': ['store-unavailable', 'projection-behind'],
  },
  write: {
    // The event store's own refusals come through too: a payload it cannot store as exact JSON, an id reused.
    '400': ['invalid-idempotency-key', 'invalid-if-match', 'invalid-append', 'not-serialisable'],
    '409': ['already-exists', 'concurrency-conflict', 'report-under-review', 'idempotency-conflict'],
    '412': ['precondition-failed'],
    '413': ['body-too-large', 'bad-request', 'event-too-large'],
    '415': ['unsupported-media-type', 'bad-request'],
    '422': ['rule-violation', 'idempotency-key-reused'],
    '429': ['rate-limited'],
  },
} satisfies Record<string, Record<string, string[]>>;

/** The access an operation needs when its documentation does not say. */
function accessOf(r: RouteDoc): Access {
  if (r.access) return r.access;
  if (!r.path.startsWith('/v1/')) return 'public';
  if (r.path.startsWith('/v1/admin/')) return 'admin';
  if (r.method === 'get') return r.path.startsWith('/v1/programmes') ? 'read-programme' : 'read-project';
  return 'output';
}

/** `get /v1/projects/:projectId/camps/:campId` → `getProjectsByProjectIdCampsByCampId`: stable and unique. */
function operationIdOf(r: RouteDoc): string {
  const words = r.path
    .split('/')
    .filter((s) => s && s !== 'v1')
    .map((s) => (s.startsWith(':') ? `by-${s.slice(1)}` : s))
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return r.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') || `${r.method}Root`;
}

/** Query parameters from the handler's zod schema: each property with its own schema, required unless optional. */
function queryParameters(schema: z.ZodObject | undefined): unknown[] {
  if (!schema) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

/** Path parameters by name: what the handlers accept, so a generated request is valid exactly when it is valid here. */
const pathParameters: Record<string, z.ZodType> = { eventId: uuidSchema, periodId: z.string().regex(/^P\d{1,3}$/) };

const defaultSuccess = (method: RouteDoc['method']): Record<string, string> =>
  method === 'get'
    ? { '200': 'Current state, with an ETag', '304': 'Not modified (If-None-Match matched the ETag)' }
    : { '201': '{ eventId, eventIds, streamId, version, position }' };

function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): unknown {
  try {
    return z.toJSONSchema(schema, { unrepresentable: 'any', io });
  } catch {
    return { type: 'object' };
  }
}

/** OpenAPI 3.1 document generated from the routes' zod schemas, so the contract cannot drift from validation. */
export function openApiDocument(title: string, routes: readonly RouteDoc[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const params = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: jsonSchema(pathParameters[m[1]!] ?? slugSchema),
    }));
    const v1 = r.path.startsWith('/v1/');
    const write = r.method !== 'get';
    const types: Record<string, string[]> = {};
    for (const set of [problemTypes.all, v1 ? problemTypes.v1 : {}, write ? problemTypes.write : {}, r.problems ?? {}])
      for (const [status, list] of Object.entries(set))
        types[status] = [...new Set([...(types[status] ?? []), ...list])];
    const problems = Object.fromEntries(
      Object.entries(types).map(([status, list]) => [
        status,
        {
          description: `Problem details (RFC 9457), type one of: ${list.join(', ')}`,
          'x-problem-types': list,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      ]),
    );
    paths[path] ??= {};
    const access = accessOf(r);
    const roles = rolesFor[access];
    paths[path][r.method] = {
      operationId: operationIdOf(r),
      summary: r.summary,
      ...(roles.length ? { description: `Roles: ${roles.join(', ')} (each within its scope).` } : {}),
      tags: [r.tag],
      security: v1 ? [{ bearerJwt: [] }] : [],
      'x-roles': roles,
      parameters: [
        ...params,
        ...queryParameters(r.query),
        ...(r.method === 'get' || r.conditional === false
          ? []
          : [
              { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } },
              {
                name: 'If-Match',
                in: 'header',
                required: false,
                schema: { type: 'string', pattern: '^(?:\\*|\\s*(?:W/)?"[!#-~]*"\\s*(?:,\\s*(?:W/)?"[!#-~]*"\\s*)*)$' },
              },
            ]),
      ],
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } }
        : {}),
      responses: {
        ...Object.fromEntries(
          Object.entries(r.success ?? defaultSuccess(r.method)).map(([code, description]) => [
            code,
            r.response && code !== '204' && code !== '304'
              ? {
                  description,
                  content: {
                    'application/json': { schema: jsonSchema(r.response, 'output') },
                    ...(r.csv ? { 'text/csv': { schema: { type: 'string' } } } : {}),
                    ...(r.html ? { 'text/html': { schema: { type: 'string' } } } : {}),
                  },
                }
              : { description },
          ]),
        ),
        ...Object.fromEntries(Object.entries(r.responses ?? {}).map(([code, description]) => [code, { description }])),
        // Every route: a bad request, an unknown resource; every /v1 route: no or a bad token, a role that may see
        // but not do this, the store unreachable; writes: conflicts, preconditions, bodies, rules, the rate limit.
        ...problems,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title,
      version: productVersion,
      description: 'Outputs and results of Interreg cross-border projects, as events and indicator views.',
      // No licence has been chosen: an SPDX user-defined reference says so without claiming one (product decides).
      license: { name: 'Proprietary, no licence granted', identifier: 'LicenseRef-Proprietary' },
    },
    // Relative: the document describes the server it is served by.
    servers: [{ url: '/', description: 'this server' }],
    paths,
    components: {
      securitySchemes: {
        bearerJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'HS256 (JWT_SECRET) or RS256 (JWT_JWKS_FILE); audience JWT_AUDIENCE; claims: sub, exp, roles and their scope',
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}
