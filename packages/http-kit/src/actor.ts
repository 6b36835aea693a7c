import type { Request, RequestHandler, Response } from 'express';

export const roles = [
  'admin',
  'secretariat',
  'project-manager',
  'partner-manager',
  'first-level-controller',
  'viewer',
] as const;
export type Role = (typeof roles)[number];

/** Who is calling. Scopes narrow what the roles reach: a partner manager has a project and a partner. */
export interface Actor {
  id: string;
  roles: Role[];
  programmeId?: string;
  projectId?: string;
  partner?: string;
  /** A first-level controller's scope in its programme: the partners of this country (ISO 3166 alpha-2). */
  country?: string;
}

/** Until authentication is configured (a later capability), every request acts as the local development admin. */
export const developmentActor: Actor = { id: 'dev-admin', roles: ['admin'] };

export function actorMiddleware(resolve: (req: Request) => Actor = () => developmentActor): RequestHandler {
  return (req, res, next) => {
    res.locals['actor'] = resolve(req);
    next();
  };
}

export function actorOf(res: Response): Actor {
  return (res.locals['actor'] as Actor | undefined) ?? developmentActor;
}
