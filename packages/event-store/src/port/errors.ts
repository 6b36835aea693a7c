import { ProblemError } from '@il/problems';

/**
 * Typed event-store errors, of the product's one error family (ProblemError), mapped once in http-kit.
 * Nothing is stored when any of them is thrown.
 */
export class EventStoreError extends ProblemError {
  constructor(message: string, problemType: string, status: number, extensions: Record<string, unknown> = {}) {
    super(problemType, status, message, [], extensions);
  }
}

export class ConcurrencyError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: string | number,
    readonly actualVersion: number,
  ) {
    super(
      `stream ${streamId} is at version ${actualVersion}, expected ${expectedVersion}`,
      'concurrency-conflict',
      409,
      // The client needs the version to retry with If-Match.
      { currentVersion: actualVersion },
    );
  }
}

/** An event id already stored in the stream with other content: a client reused an id for a different fact. */
export class IdempotencyConflictError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`event ${eventId} already exists in ${streamId} with different content`, 'idempotency-conflict', 409);
  }
}

export class InvalidAppendError extends EventStoreError {
  constructor(message: string, problemType = 'invalid-append') {
    super(message, problemType, 400);
  }
}

export class EventTooLargeError extends EventStoreError {
  constructor(
    readonly eventId: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`event ${eventId} is ${bytes} bytes; the limit is ${limit} bytes`, 'event-too-large', 413);
  }
}

/** The store cannot be reached (database down, restarting): the caller may retry later. */
export class StoreUnavailableError extends EventStoreError {
  constructor(
    message: string,
    readonly cause?: unknown,
  ) {
    super(message, 'store-unavailable', 503);
  }
}
