import type { Request, Response } from 'express';
import {
  NotFoundError,
  projectStream,
  readStoredEvent,
  recordedOutputs,
  type RecordedOutput,
  type RegisteredProject,
} from '@il/domain';
import { actorOf, assertMayReadProject } from '@il/http-kit';
import { etag } from './headers.js';
import { projectIdOf } from './projectCommandRoute.js';
import type { WriteContext } from './writeContext.js';

/** Loads a registered project for a GET (404 if there is none), after checking the caller may read it. */
export async function readProject(
  ctx: WriteContext,
  req: Request,
  res: Response,
): Promise<{ project: RegisteredProject; version: number }> {
  const projectId = projectIdOf(req);
  const { state, version } = await ctx.projects.load(projectStream(projectId));
  if (state.status !== 'registered') throw new NotFoundError(`project ${projectId} not found`);
  assertMayReadProject(actorOf(res), { programmeId: state.project.programmeId, projectId });
  return { project: state, version };
}

/** Answers a GET with the resource and the project's version as ETag; 304 when the client has it already. */
export function sendWithEtag(req: Request, res: Response, version: number, body: unknown): void {
  const tag = etag(version);
  res.set('ETag', tag);
  if (req.get('if-none-match') === tag) {
    res.status(304).end();
    return;
  }
  res.json(body);
}

/**
 * A registered project (as readProject) with its outputs' current payloads, folded from its stream up to the version
 * the answer carries: the write model keeps only what decisions need.
 */
export async function readProjectOutputs(
  ctx: WriteContext,
  req: Request,
  res: Response,
): Promise<{ project: RegisteredProject; version: number; outputs: Map<string, RecordedOutput> }> {
  const { project, version } = await readProject(ctx, req, res);
  const events = await ctx.store.readStream(projectStream(project.project.projectId), { to: version });
  const outputs = recordedOutputs(
    events.map((e) => ({ event: readStoredEvent(e.type, e.schemaVersion, e.data), eventId: e.eventId })),
  );
  return { project, version, outputs };
}
