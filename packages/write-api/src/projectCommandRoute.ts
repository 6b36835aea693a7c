import type { Request, RequestHandler, Response } from 'express';
import {
  decideProject,
  localDateOf,
  NotFoundError,
  occurredAtOf,
  slugSchema,
  type ProjectCommand,
  type ProjectState,
} from '@il/domain';
import { executeCommand, type CommandResult } from '@il/commands';
import { actorOf, assertMayWrite, parseInput, type Actor, type WriteAction } from '@il/http-kit';
import { etag, idempotencyKeyOf, ifMatchOf } from './headers.js';
import { programmeStream, projectStream, type WriteContext } from './writeContext.js';

export interface ProjectWrite {
  command: ProjectCommand;
  /** Partners the write touches, for the authorisation check point. */
  partners: string[];
  /** Only for registration, where the project does not exist yet. */
  programmeId?: string;
  /** What kind of write, for the authorisation rules (default: an output). */
  action?: WriteAction;
}

export function projectIdOf(req: Request): string {
  return parseInput(slugSchema, req.params['projectId'], 'projectId');
}

/**
 * A POST/PUT that turns into one project command: load programme and project, check who may write, decide,
 * append (If-Match, Idempotency-Key, conflict retries), answer 201 with the new version as ETag.
 */
export function projectCommandRoute(
  ctx: WriteContext,
  toWrite: (req: Request, state: ProjectState) => ProjectWrite,
): RequestHandler {
  return async (req: Request, res: Response) => {
    const projectId =
      req.params['projectId'] === undefined
        ? parseInput(slugSchema, (req.body as { projectId?: unknown })?.projectId, 'projectId')
        : projectIdOf(req);
    const streamId = projectStream(projectId);
    const actor = actorOf(res);
    // Built once per state: prepare, authorise and decide each ask for the write on the state they were given, and a
    // state is never changed in place once a later one exists (evolveProject), so the same object means the same state.
    let built: { state: ProjectState; write: ProjectWrite } | undefined;
    const writeFor = (s: ProjectState): ProjectWrite =>
      built?.state === s ? built.write : (built = { state: s, write: toWrite(req, s) }).write;
    const { state, programme: p } = await prepare(ctx, streamId, projectId, writeFor);

    const now = ctx.now();
    const key = idempotencyKeyOf(req);
    const result = await executeCommand(ctx.store, ctx.projects, {
      streamId,
      actor: actor.id,
      correlationId: String(res.locals['correlationId']),
      ifMatch: ifMatchOf(req),
      idempotency: key ? { key, scope: `${req.method} ${req.path}`, body: req.body } : undefined,
      // Authorised on exactly the state it is decided on, again on every attempt: who may write (the partner of the
      // output a correction replaces) can differ between a cached state and the current one.
      authorise: ({ state: current }) => authorise(actor, projectId, current, writeFor(current)),
      decide: ({ state: current }) =>
        decideProject(writeFor(current).command, current, {
          programme: p,
          today: localDateOf(now, p.timeZone),
          futureToleranceDays: ctx.futureToleranceDays,
        }),
      occurredAt: (event) =>
        occurredAtOf(
          event,
          p.timeZone,
          state.status === 'registered' ? state.project.startDate : now.toISOString().slice(0, 10),
          now,
        ),
    });
    sendCommandResult(ctx, res, result);
  };
}

function authorise(actor: Actor, projectId: string, state: ProjectState, write: ProjectWrite): void {
  const programmeId = state.status === 'registered' ? state.project.programmeId : write.programmeId;
  assertMayWrite(actor, {
    programmeId,
    projectId,
    partners: write.partners,
    ...(write.action ? { action: write.action } : {}),
  });
}

/**
 * The project's state and its programme, from the cached states when they are there: the command is built,
 * authorised and decided again on the current state (see executeCommand), so a cached state only has to be good
 * enough to find the programme. A rejection found on a cached state is checked again on a fresh one before it is
 * answered. A programme (catalogue, time zone) is taken from the cache for at most a second.
 */
async function prepare(
  ctx: WriteContext,
  streamId: string,
  projectId: string,
  toWrite: (state: ProjectState) => ProjectWrite,
) {
  for (const maxAgeMs of [Number.POSITIVE_INFINITY, undefined]) {
    const loaded = await ctx.projects.load(streamId, maxAgeMs === undefined ? {} : { maxAgeMs });
    try {
      const { state } = loaded;
      const programmeId = state.status === 'registered' ? state.project.programmeId : toWrite(state).programmeId;
      if (!programmeId) throw new NotFoundError(`project ${projectId} not found`);
      const programme = await ctx.programmes.load(programmeStream(programmeId), loaded.fresh ? {} : { maxAgeMs: 1000 });
      if (programme.state.status !== 'registered') throw new NotFoundError(`programme ${programmeId} not found`);
      return { state, programmeId, programme: programme.state.programme };
    } catch (e) {
      if (loaded.fresh) throw e;
    }
  }
  throw new Error('unreachable');
}

/** 201 with `{ eventId, eventIds, streamId, version, position }` and the new version as ETag; 200 when nothing changed. */
export function sendCommandResult(ctx: WriteContext, res: Response, result: CommandResult): void {
  if (!result.replayed) for (const e of result.events) ctx.metrics.appendedEvents.inc({ type: e.type });
  res.set('ETag', etag(result.version));
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(result.events.length > 0 ? 201 : 200).json({
    eventId: result.events.at(-1)?.eventId ?? null,
    eventIds: result.events.map((e) => e.eventId),
    streamId: result.streamId,
    version: result.version,
    position: result.position,
  });
}
