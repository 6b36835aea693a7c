import type { Request } from 'express';

/** The matched route's template (`/v1/projects/:projectId/camps`), for logs and metric labels; undefined if none matched. */
export function routeTemplate(req: Request): string | undefined {
  // express types req.route as any: read it as what it is.
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : undefined;
}
