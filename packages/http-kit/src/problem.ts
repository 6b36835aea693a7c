import type { Response } from 'express';

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  /** Stable slug, published as `https://indicator-ledger.dev/problems/<slug>`; clients branch on it. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const problemBase = 'https://indicator-ledger.dev/problems/';

export function sendProblem(res: Response, problem: Problem): void {
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({ ...problem, type: `${problemBase}${problem.type}` });
}
