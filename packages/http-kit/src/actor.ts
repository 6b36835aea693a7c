import type { Request, RequestHandler, Response } from 'express';
import { HttpError } from './httpError.js';

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

/**
 * The one authorisation check point for writes to a project: a partner manager writes only for their own partner in
 * their own project; a project manager for their project; admins anywhere. `partners` are every partner the write
 * touches (the output's partner, and for a correction also the corrected output's partner).
 */
export function assertMayWrite(actor: Actor, target: { programmeId?: string; projectId: string; partners: readonly string[] }): void {
  if (actor.roles.includes('admin')) return;
  if (actor.roles.includes('project-manager') && actor.projectId === target.projectId) return;
  if (actor.roles.includes('partner-manager') && actor.projectId === target.projectId && target.partners.length > 0 && target.partners.every((p) => p === actor.partner)) return;
  throw new HttpError(403, 'forbidden', 'You may not write this for this project or partner.');
}
