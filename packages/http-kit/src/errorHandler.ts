import { routeTemplate } from './routeTemplate.js';
import type { ErrorRequestHandler } from 'express';
import { DomainError } from '@il/domain';
import { ConcurrencyError, EventStoreError } from '@il/event-store';
import { asStoreError } from '@il/event-store-postgres';
import { HttpError } from './httpError.js';
import { sendProblem, type Problem } from './problem.js';

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** The one place where typed errors become RFC 7807 problem details. Unknown errors are 500 without internals. */
export function toProblem(raw: unknown): Problem {
  // A lost database connection is "try again" (503) wherever it surfaces, not an internal error.
  const error = asStoreError(raw);
  if (error instanceof HttpError) {
    return {
      type: error.problemType,
      title: titles[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      ...(error.errors.length ? { errors: error.errors } : {}),
      ...error.extensions,
    };
  }
  if (error instanceof DomainError) {
    return {
      type: error.problemType,
      title: titles[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      ...(error.errors.length ? { errors: error.errors } : {}),
    };
  }
  if (error instanceof ConcurrencyError) {
    return {
      type: error.problemType,
      title: titles[409]!,
      status: 409,
      detail: error.message,
      currentVersion: error.actualVersion,
    };
  }
  if (error instanceof EventStoreError) {
    return {
      type: error.problemType,
      title: titles[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
    };
  }
  const e = error as { type?: string; status?: number; expose?: boolean; message?: string };
  // body-parser's errors: malformed JSON, too large, wrong charset.
  if (e?.type === 'entity.parse.failed')
    return { type: 'malformed-json', title: titles[400]!, status: 400, detail: 'The request body is not valid JSON.' };
  if (e?.type === 'entity.too.large')
    return {
      type: 'body-too-large',
      title: titles[413]!,
      status: 413,
      detail: e.message ?? 'The request body is too large.',
    };
  if (e?.expose && e.status && e.status < 500)
    return { type: 'bad-request', title: titles[e.status] ?? 'Bad request', status: e.status, detail: e.message ?? '' };
  return {
    type: 'internal',
    title: titles[500]!,
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
