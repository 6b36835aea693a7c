import type { RouteDoc } from './openapi.js';

/** The routes every app serves besides its documented ones. */
export const opsRoutes: Pick<RouteDoc, 'method' | 'path'>[] = ['/healthz', '/readyz', '/metrics', '/openapi.json'].map(
  (path) => ({ method: 'get', path }),
);

/**
 * The methods a path is served with, from the route documentation (express keeps no such table): a request with
 * another method on a known path is 405 with `Allow`, not 404.
 */
export function allowedMethods(routes: readonly Pick<RouteDoc, 'method' | 'path'>[]): (path: string) => string[] {
  const matchers = routes.map((r) => ({
    method: r.method.toUpperCase(),
    pattern: new RegExp(
      `^${r.path
        .split('/')
        .map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/')}/?$`,
    ),
  }));
  return (path) => {
    const methods = new Set(matchers.filter((m) => m.pattern.test(path)).map((m) => m.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
