import type { Request, Response } from 'express';
import { z } from 'zod';
import { NotFoundError, occurrenceDate, outputTypes, slugSchema, type RecordedOutput } from '@il/domain';
import { pageOf, pageParameters, parseInput, type RouteDoc } from '@il/http-kit';
import { outputView, outputViewSchema } from './outputView.js';
import { readProjectOutputs, sendWithEtag } from './projectReads.js';
import type { WriteContext } from './writeContext.js';

const listQuery = z.strictObject({
  type: z.enum(outputTypes as [string, ...string[]]).optional(),
  partner: slugSchema.optional(),
  period: z
    .string()
    .regex(/^P\d{1,3}$/)
    .optional(),
  /** Retracted outputs: left out (default), included, or only those. */
  retracted: z.enum(['exclude', 'include', 'only']).default('exclude'),
  ...pageParameters,
});

export const outputListRoute: RouteDoc = {
  method: 'get',
  path: '/v1/projects/:projectId/outputs',
  summary:
    "A project's outputs in recorded order, each with its current payload after corrections (?type=&partner=&period=&retracted=exclude|include|only&limit=&cursor=)",
  tag: 'outputs',
  query: listQuery,
  response: z.strictObject({
    items: z.array(outputViewSchema),
    nextCursor: z.string().nullable(),
  }),
};

/** GET …/outputs: a page of the project's outputs, filtered, with the project's version as ETag. */
export async function listOutputs(ctx: WriteContext, req: Request, res: Response): Promise<void> {
  const q = parseInput(listQuery, req.query, 'query');
  const { project, version, outputs } = await readProjectOutputs(ctx, req, res);
  if (q.partner !== undefined && !project.partners.has(q.partner))
    throw new NotFoundError(`partner ${q.partner} has not joined project ${project.project.projectId}`);
  const period = q.period === undefined ? undefined : project.periods.find((p) => p.id === q.period);
  if (q.period !== undefined && !period)
    throw new NotFoundError(`project ${project.project.projectId} has no period ${q.period}`);
  const keep = (o: RecordedOutput) => {
    if (q.retracted === 'exclude' ? o.retracted : q.retracted === 'only' ? !o.retracted : false) return false;
    if (q.type !== undefined && o.type !== q.type) return false;
    if (q.partner !== undefined && o.partner !== q.partner) return false;
    if (period) {
      // The period it counts in: the date the views use (a camp's last day), not its first date.
      const date = occurrenceDate(o, project.project.startDate);
      if (date < period.start || date > period.end) return false;
    }
    return true;
  };
  // Recorded order: outputs are only ever added at the end, so a page's successor stays the same while outputs are
  // recorded or retracted.
  const order = new Map([...outputs.keys()].map((id, i) => [id, i]));
  const page = pageOf([...outputs.values()].filter(keep), (o) => order.get(o.eventId)!, q);
  sendWithEtag(req, res, version, { items: page.items.map(outputView), nextCursor: page.nextCursor });
}
