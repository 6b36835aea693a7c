import { EventStoreError } from '@il/event-store';

/** If-Match named a version the stream is no longer (or not yet) at. */
export class PreconditionFailedError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: '*' | readonly number[],
    readonly actualVersion: number,
  ) {
    const wanted =
      expected === '*' ? 'an existing stream' : expected.length ? expected.join(' or ') : 'no version of ours';
    // currentVersion: what to send as If-Match after reading the resource again.
    super(`${streamId} is at version ${actualVersion}, If-Match expected ${wanted}`, 'precondition-failed', 412, {
      currentVersion: actualVersion,
    });
  }
}

/** The same Idempotency-Key was sent with a different request body. */
export class IdempotencyKeyReusedError extends EventStoreError {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used for a different request`, 'idempotency-key-reused', 422);
  }
}
