import { EventStoreError } from '@il/event-store';

/** If-Match named a version the stream is no longer (or not yet) at. */
export class PreconditionFailedError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actualVersion: number,
  ) {
    super(`${streamId} is at version ${actualVersion}, If-Match expected ${expected}`, 'precondition-failed', 412);
  }
}

/** The same Idempotency-Key was sent with a different request body. */
export class IdempotencyKeyReusedError extends EventStoreError {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used for a different request`, 'idempotency-key-reused', 422);
  }
}
