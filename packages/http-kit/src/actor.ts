import type { Request, RequestHandler, Response } from 'express';

export type Role = 'admin' | 'secretariat' | 'project-manager' | 'partner-manager' | 'viewer';

/** Who is calling. Scopes narrow what the roles reach: a partner manager has a project and a partner. */
export interface Actor {
  id: string;
  roles: Role[];
  programmeId?: string;
  projectId?: string;
  partner?: string;
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
