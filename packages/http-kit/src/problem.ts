import type { Response } from 'express';
import type { Problem } from '@il/problems';

export type { FieldIssue as FieldError, Problem } from '@il/problems';

export const problemBase = 'https://indicator-ledger.dev/problems/';

export function sendProblem(res: Response, problem: Problem): void {
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({ ...problem, type: `${problemBase}${problem.type}` });
}
