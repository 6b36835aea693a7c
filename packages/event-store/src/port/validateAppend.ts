import { EventTooLargeError, InvalidAppendError } from './errors.js';
import type { ExpectedVersion, NewEvent } from './eventStore.js';
import { nonJsonPath } from './jsonValue.js';
import { eventTypePattern, maxAppendBytes, maxEventBytes, maxEventsPerAppend, streamIdPattern } from './limits.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SerialisedEvent {
  event: NewEvent;
  data: string;
  metadata: string;
}

export function validateStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || !streamIdPattern.test(streamId)) {
    throw new InvalidAppendError(
      `invalid stream id ${JSON.stringify(streamId)}: 1-200 characters of letters, digits and . _ : @ -, not starting with a symbol`,
      'invalid-stream-id',
    );
  }
}

function validateExpectedVersion(v: ExpectedVersion): void {
  if (v === 'any' || v === 'no-stream' || v === 'exists') return;
  if (!Number.isSafeInteger(v) || v < 0) throw new InvalidAppendError(`invalid expected version ${JSON.stringify(v)}`);
}

/** Checks a whole append before anything is written and serialises it once for the adapter. */
export function validateAppend(
  streamId: string,
  events: NewEvent[],
  expectedVersion: ExpectedVersion,
): SerialisedEvent[] {
  validateStreamId(streamId);
  validateExpectedVersion(expectedVersion);
  if (!Array.isArray(events) || events.length === 0)
    throw new InvalidAppendError('an append needs at least one event', 'empty-append');
  if (events.length > maxEventsPerAppend)
    throw new InvalidAppendError(`an append may hold at most ${maxEventsPerAppend} events`);
  const ids = new Set<string>();
  let total = 0;
  const out = events.map((event, i) => {
    const at = `events[${i}]`;
    if (typeof event.eventId !== 'string' || !uuid.test(event.eventId))
      throw new InvalidAppendError(`${at}.eventId must be a UUID`);
    if (ids.has(event.eventId.toLowerCase()))
      throw new InvalidAppendError(`${at}.eventId ${event.eventId} appears twice in one append`);
    ids.add(event.eventId.toLowerCase());
    if (typeof event.type !== 'string' || !eventTypePattern.test(event.type))
      throw new InvalidAppendError(`${at}.type is not a valid event type name`);
    if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1)
      throw new InvalidAppendError(`${at}.schemaVersion must be a positive integer`);
    if (!(event.occurredAt instanceof Date) || Number.isNaN(event.occurredAt.getTime()))
      throw new InvalidAppendError(`${at}.occurredAt must be a valid Date`);
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data))
      throw new InvalidAppendError(`${at}.data must be a JSON object`, 'not-serialisable');
    const badData = nonJsonPath(event.data);
    if (badData) throw new InvalidAppendError(`${at}.${badData} cannot be stored as JSON exactly`, 'not-serialisable');
    const m = event.metadata;
    if (
      !m ||
      typeof m.actor !== 'string' ||
      m.actor.length === 0 ||
      typeof m.correlationId !== 'string' ||
      m.correlationId.length === 0
    ) {
      throw new InvalidAppendError(`${at}.metadata needs a non-empty actor and correlationId`);
    }
    const badMeta = nonJsonPath(m, 'metadata');
    if (badMeta) throw new InvalidAppendError(`${at}.${badMeta} cannot be stored as JSON exactly`, 'not-serialisable');
    const data = JSON.stringify(event.data);
    const metadata = JSON.stringify(m);
    const bytes = Buffer.byteLength(data) + Buffer.byteLength(metadata);
    if (bytes > maxEventBytes) throw new EventTooLargeError(event.eventId, bytes, maxEventBytes);
    total += bytes;
    return { event, data, metadata };
  });
  if (total > maxAppendBytes)
    throw new InvalidAppendError(`an append may hold at most ${maxAppendBytes} bytes of events`, 'append-too-large');
  return out;
}
