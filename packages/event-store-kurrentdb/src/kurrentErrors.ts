import { ErrorType } from '@kurrent/kurrentdb-client';
import { EventStoreError, StoreUnavailableError } from '@il/event-store';

const unavailable = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
]);

/** Connection-level failures (server down, leader changing) become StoreUnavailableError (503, retry later). */
export function asKurrentStoreError(error: unknown): unknown {
  if (error instanceof EventStoreError) return error;
  const e = error as { type?: string; message?: string; code?: string };
  if ((e?.type && unavailable.has(e.type)) || e?.code === 'ECONNREFUSED') {
    return new StoreUnavailableError(`event store unavailable: ${e.message ?? e.type}`, error);
  }
  return error;
}
