import { routeTemplate } from './routeTemplate.js';
import type { ErrorRequestHandler } from 'express';
import { ProblemError, titleOf, type Problem } from '@il/problems';
import { asStoreError } from '@il/event-store-postgres';
import { sendProblem } from './problem.js';

/** The one place where errors become RFC 9457 problem details. Unknown errors are 500 without internals. */
export function toProblem(raw: unknown): Problem {
  // A lost database connection is "try again" (503) wherever it surfaces, not an internal error.
  const error = asStoreError(raw);
  if (error instanceof ProblemError) return error.toProblem();
  const e = error as { type?: string; status?: number; expose?: boolean; message?: string };
  // body-parser's errors: malformed JSON, too large, wrong charset.
  if (e?.type === 'entity.parse.failed')
    return { type: 'malformed-json', title: titleOf(400), status: 400, detail: 'The request body is not valid JSON.' };
  if (e?.type === 'entity.too.large')
    return {
      type: 'body-too-large',
      title: titleOf(413),
      status: 413,
      detail: e.message ?? 'The request body is too large.',
    };
  if (e?.expose && e.status && e.status < 500)
    return { type: 'bad-request', title: titleOf(e.status), status: e.status, detail: e.message ?? '' };
  return {
    type: 'internal',
    title: titleOf(500),
    status: 500,
    detail: 'An unexpected error occurred; it has been logged.',
  };
}

export function errorHandler(log: (entry: Record<string, unknown>) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = toProblem(error);
    // A 500 is a fault to find: logged with its stack. A 503 (store unavailable, projection behind) is an expected
    // answer under load or during a restart: a warning, without a stack.
    if (problem.status === 500)
      log({
        level: 'error',
        msg: 'request failed',
        correlationId: res.locals['correlationId'],
        route: routeTemplate(req),
        error: String((error as Error)?.stack ?? error),
      });
    else if (problem.status > 500)
      log({
        level: 'warn',
        msg: 'request not served',
        correlationId: res.locals['correlationId'],
        route: routeTemplate(req),
        problem: problem.type,
        detail: problem.detail,
      });
    sendProblem(res, problem);
  };
}
