import type { Request, RequestHandler, Response } from 'express';
import { parseProjectCommand, slugSchema, type ProjectCommand, type ProjectCommandInput } from '@il/domain';
import { executeProjectCommand, type CommandResult } from '@il/commands';
import { actorOf, assertMayWrite, parseInput, type RouteDoc, type WriteAction } from '@il/http-kit';
import { z } from 'zod';
import { etag, idempotencyKeyOf, ifMatchOf } from './headers.js';
import type { WriteContext } from './writeContext.js';

/** The body of every write's 201 (and of its 200 when nothing changed). */
export const commandResultSchema = z.strictObject({
  /** The last event stored by the write (null when nothing changed). */
  eventId: z.string().nullable(),
  eventIds: z.array(z.string()),
  streamId: z.string(),
  version: z.number().int(),
  /** Pass as minPosition to read this write back; null when nothing changed. */
  position: z.string().nullable(),
});

/** Route docs of writes that answer a command result get it as their response schema. */
export function withCommandResults(routes: RouteDoc[]): RouteDoc[] {
  return routes.map((r) =>
    r.method === 'get' || r.conditional === false || r.response ? r : { ...r, response: commandResultSchema },
  );
}

/** The authorisation rules' name for what a command does (outputs are the default). */
const actionOf: Record<ProjectCommand['type'], WriteAction> = {
  RegisterProject: 'register-project',
  AmendProject: 'project-settings',
  JoinPartner: 'project-settings',
  SetTargets: 'project-settings',
  SubmitReport: 'submit-report',
  ApproveReport: 'approve-report',
  ReopenReport: 'reopen-report',
  RecordOutput: 'output',
  CorrectOutput: 'output',
  RetractOutput: 'output',
};

export function projectIdOf(req: Request): string {
  return parseInput(slugSchema, req.params['projectId'], 'projectId');
}

/**
 * A POST/PUT that records one project command: the body is parsed into a typed command here, at the edge (400/422
 * before anything is read), then executeProjectCommand loads, authorises on the state it decides on, decides and
 * appends (If-Match, Idempotency-Key, conflict retries); the answer is 201 with the new version as ETag.
 */
export function projectCommandRoute(
  ctx: WriteContext,
  toCommand: (req: Request) => ProjectCommandInput,
): RequestHandler {
  return async (req: Request, res: Response) => {
    const projectId =
      req.params['projectId'] === undefined
        ? parseInput(slugSchema, (req.body as { projectId?: unknown })?.projectId, 'projectId')
        : projectIdOf(req);
    const command = parseProjectCommand(toCommand(req));
    const actor = actorOf(res);
    const key = idempotencyKeyOf(req);
    const result = await executeProjectCommand(ctx, {
      projectId,
      command,
      actor: actor.id,
      correlationId: String(res.locals['correlationId']),
      ifMatch: ifMatchOf(req),
      idempotency: key ? { key, scope: `${req.method} ${req.path}`, body: req.body } : undefined,
      authorise: (check) => assertMayWrite(actor, { ...check, action: actionOf[check.command.type] }),
    });
    sendCommandResult(ctx, res, result, locationOf(command, projectId, result));
  };
}

/** Where the resource a command created or changed can be read (the Location of its 201). */
function locationOf(command: ProjectCommand, projectId: string, result: CommandResult): string {
  const project = `/v1/projects/${encodeURIComponent(projectId)}`;
  const output = (eventId: string) => `${project}/outputs/${eventId}`;
  switch (command.type) {
    case 'RecordOutput':
      return output(result.events.at(-1)?.eventId ?? '');
    case 'CorrectOutput':
      return output(command.event.data.correctsEventId);
    case 'RetractOutput':
      return output(command.event.data.retractsEventId);
    case 'JoinPartner':
      return `${project}/partners/${encodeURIComponent(command.event.data.partnerCode)}`;
    case 'SetTargets':
      return `${project}/targets`;
    case 'SubmitReport':
    case 'ApproveReport':
    case 'ReopenReport':
      return reportLocation(project, command.event.data);
    case 'RegisterProject':
    case 'AmendProject':
      return project;
  }
}

/** A report's own resource: the project report of a period, or one partner's. */
export function reportLocation(project: string, r: { periodId: string; partner?: string | undefined }): string {
  const report = `${project}/reports/${encodeURIComponent(r.periodId)}`;
  return r.partner ? `${report}/partners/${encodeURIComponent(r.partner)}` : report;
}

/**
 * 201 with `{ eventId, eventIds, streamId, version, position }`, the new version as ETag and the changed resource
 * as Location; 200 when nothing changed.
 */
export function sendCommandResult(ctx: WriteContext, res: Response, result: CommandResult, location?: string): void {
  if (!result.replayed) for (const e of result.events) ctx.metrics.appendedEvents.inc({ type: e.type });
  res.set('ETag', etag(result.version));
  if (location && result.events.length > 0) res.set('Location', location);
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(result.events.length > 0 ? 201 : 200).json({
    eventId: result.events.at(-1)?.eventId ?? null,
    eventIds: result.events.map((e) => e.eventId),
    streamId: result.streamId,
    version: result.version,
    position: result.position,
  });
}
