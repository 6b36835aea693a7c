import type { Request, Response } from 'express';
import { z } from 'zod';
import { addDays, localDateOf, NotFoundError, slugSchema, startOfDay } from '@il/domain';
import { comparePositions, isPosition, type Position } from '@il/event-store';
import { actorOf, assertMayReadProgramme, assertMayReadProject, HttpError, parseInput } from '@il/http-kit';
import type { ProgrammeScope, ProjectScope, ViewQueries } from '@il/projections';

export interface QueryContext {
  /** The selected read models' queries (PostgreSQL or MongoDB: same answers, checked by the read-model contract). */
  views: ViewQueries;
  /** Where the projector is; read-after-write waits on it. */
  checkpoint: () => Promise<{ position: Position }>;
  now: () => Date;
  /** Longest wait for `minPosition` before answering 503 (default 5 s). */
  maxWaitMs?: number;
  /** Rebuilds the views beside the live ones and switches when caught up. */
  rebuild: () => Promise<{ events: number; ms: number }>;
}

// ISO 8601 only, with a four-digit year (so within PostgreSQL's and MongoDB's range): Date.parse also reads "1" (as
// 2001), RFC 1123 dates and years before 4713 BC, which the database then refused with a 500.
const isoInstant = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const instant = z
  .string()
  .refine((v) => isoInstant.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'must be an ISO 8601 date or instant with an offset, such as 2019-09-30 or 2019-09-30T12:00:00Z',
  })
  // A date alone is resolved in the programme's time zone once the programme is known (asOfIn).
  .transform((v): AsOf => (v.length === 10 ? { date: v } : { instant: new Date(v) }));

/** `asOf` as given: a calendar date (the end of that day where the programme is) or an instant with an offset. */
type AsOf = { date: string } | { instant: Date };
export const common = {
  asOf: instant.optional(),
  minPosition: z
    .string()
    .refine(isPosition, { message: 'must be a position returned by a write, such as 1234:56' })
    .optional(),
};
/** Which numbers a figure counts (see docs/reports.md): all recorded, or those of submitted or verified reports. */
export const basisSchema = z.enum(['recorded', 'submitted', 'verified']).default('recorded');

/** What every query route does before it answers: read-after-write, scope and access checks, as-of and today. */
export function queryHelpers(ctx: QueryContext) {
  /** Read-after-write: wait (bounded) until the projector has applied the write the client saw. */
  async function awaitPosition(minPosition: string | undefined): Promise<void> {
    if (!minPosition) return;
    const deadline = Date.now() + (ctx.maxWaitMs ?? 5000);
    while (comparePositions((await ctx.checkpoint()).position, minPosition) < 0) {
      if (Date.now() > deadline)
        throw new HttpError(
          503,
          'projection-behind',
          `the views have not reached position ${minPosition} yet; retry shortly`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  /**
   * The recorded instant an as-of question cuts at: an instant as given; a date as the end of that day in the
   * programme's time zone (its last millisecond), so "as of 2019-09-30" in Riga includes what was recorded on the
   * evening of the 30th, Riga time, and nothing of the 1st.
   */
  const asOfIn = (scope: ProgrammeScope, asOf: AsOf | undefined): Date | undefined =>
    asOf === undefined
      ? undefined
      : 'instant' in asOf
        ? asOf.instant
        : new Date(startOfDay(addDays(asOf.date, 1), scope.timeZone).getTime() - 1);
  /** Today in the programme's own time zone (as projected): it decides the share of time elapsed. */
  const todayIn = (scope: ProgrammeScope) => localDateOf(ctx.now(), scope.timeZone);
  const param = (req: Request, name: string) => parseInput(slugSchema, req.params[name], name);

  // The 404s below say exactly what authorisation says of a project or programme outside the caller's scope, so
  // that no caller can tell one that does not exist from one it may not see.
  /** The project of the path, once it is known and the caller may read it. */
  async function readableProject(req: Request, res: Response): Promise<ProjectScope> {
    const projectId = param(req, 'projectId');
    const scope = await ctx.views.projectScope(projectId);
    if (!scope) throw new NotFoundError(`project ${projectId} not found`);
    assertMayReadProject(actorOf(res), { programmeId: scope.programmeId, projectId });
    return scope;
  }

  /** The programme of the path, once the caller may read it and it is known. */
  async function readableProgramme(req: Request, res: Response): Promise<ProgrammeScope> {
    const programmeId = param(req, 'programmeId');
    assertMayReadProgramme(actorOf(res), programmeId);
    const scope = await ctx.views.programmeScope(programmeId);
    if (!scope) throw new NotFoundError(`programme ${programmeId} not found`);
    return scope;
  }

  /** An indicator code of the path must be in the programme's catalogue: otherwise 404, not a series of zeros. */
  function knownIndicator(scope: ProgrammeScope, code: string): string {
    if (!scope.indicators.includes(code))
      throw new NotFoundError(`indicator ${code} is not in the catalogue of programme ${scope.programmeId}`);
    return code;
  }

  function knownPartner(scope: ProjectScope, partner: string | undefined): void {
    if (partner !== undefined && !scope.partners.includes(partner))
      throw new NotFoundError(`partner ${partner} has not joined project ${scope.projectId}`);
  }

  return { awaitPosition, asOfIn, todayIn, param, readableProject, readableProgramme, knownIndicator, knownPartner };
}
