import type { Response } from 'express';
import type { Problem } from '@il/problems';

export type { FieldIssue as FieldError, Problem } from '@il/problems';

export const problemBase = 'https://indicator-ledger.dev/problems/';

/** What a 503 tells a client to wait before trying again (the store restarting, the projector catching up). */
export const retryAfterSeconds = 2;

export function sendProblem(res: Response, problem: Problem): void {
  // Every 503 says when to come back; a 429 sets its own Retry-After from the rate limit's window.
  if (problem.status === 503 && !res.get('Retry-After')) res.set('Retry-After', String(retryAfterSeconds));
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({ ...problem, type: `${problemBase}${problem.type}` });
}
