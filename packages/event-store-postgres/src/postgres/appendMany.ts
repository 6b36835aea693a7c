import type pg from 'pg';
import { ConcurrencyError, IdempotencyConflictError } from '@il/event-store';
import type { AppendResult, ExpectedVersion } from '@il/event-store';
import type { SerialisedEvent } from '@il/event-store';
import { eventColumns, rowToEvent, type EventRow } from './rowToEvent.js';

export const notifyChannel = 'il_events';

export interface AppendRequest {
  streamId: string;
  batch: SerialisedEvent[];
  expectedVersion: ExpectedVersion;
}

/** The append's stream was locked by another transaction: nothing was written, it is to be sent again alone. */
export const streamBusy = Symbol('stream busy');

/** What one append of a batch came to: its result, the error its caller gets, or (only with nowait) busy. */
export type AppendOutcome = AppendResult | ConcurrencyError | IdempotencyConflictError | typeof streamBusy;

const expectedCode = (v: ExpectedVersion): number =>
  v === 'any' ? -1 : v === 'no-stream' ? -2 : v === 'exists' ? -3 : v;

const appendManySql = `select append_index, outcome, current_version::text, ${eventColumns}
  from il_append_batch($1::text[], $2::bigint[], $3::int[], $4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::boolean) as il_events`;

type OutcomeRow = EventRow & { append_index: number; outcome: number; current_version: string };

/**
 * Appends to one or more streams in one statement through `il_append_batch` (migrations 3 and 4): every append is
 * checked and written on its own, and one append's conflict does not stop the others. Runs in autocommit (a pool:
 * the statement is the transaction) or inside a transaction the caller owns (a client). Errors of the statement
 * itself (connection lost, database down) are thrown and concern every append of the batch. With `nowait`, an
 * append whose stream another transaction has locked comes back as `streamBusy` instead of being waited for.
 */
export async function appendMany(
  client: pg.ClientBase | pg.Pool,
  requests: readonly AppendRequest[],
  options: { nowait?: boolean } = {},
): Promise<AppendOutcome[]> {
  const events = requests.flatMap((r) => r.batch);
  const { rows } = await client.query<OutcomeRow>({
    // Named: each connection parses and plans it once.
    name: 'il_append_batch',
    text: appendManySql,
    values: [
      requests.map((r) => r.streamId),
      requests.map((r) => expectedCode(r.expectedVersion)),
      requests.map((r) => r.batch.length),
      events.map((b) => b.event.eventId),
      events.map((b) => b.event.type),
      events.map((b) => b.event.schemaVersion),
      events.map((b) => b.data),
      events.map((b) => b.metadata),
      events.map((b) => b.event.occurredAt),
      options.nowait === true,
    ],
  });
  const byAppend: OutcomeRow[][] = requests.map(() => []);
  for (const row of rows) byAppend[row.append_index - 1]!.push(row);
  return requests.map((request, i) => outcomeOf(request, byAppend[i]!));
}

function outcomeOf(request: AppendRequest, rows: OutcomeRow[]): AppendOutcome {
  const first = rows[0];
  if (!first) throw new Error(`il_append_batch returned nothing for the append to ${request.streamId}`);
  if (first.outcome === 4) return streamBusy;
  if (first.outcome === 2)
    return new ConcurrencyError(request.streamId, request.expectedVersion, Number(first.current_version));
  if (first.outcome === 3) return new IdempotencyConflictError(request.streamId, request.batch[0]!.event.eventId);
  const events = rows.map(rowToEvent);
  const last = events[events.length - 1]!;
  // An identical retry returns the events as first stored, and the version right after them: the first result.
  return {
    nextExpectedVersion: last.streamVersion,
    position: last.position,
    globalPosition: last.globalPosition,
    events,
    alreadyStored: first.outcome === 1,
  };
}

/** One append, in autocommit (a pool) or inside a transaction the caller owns (a client). */
export async function appendInTransaction(
  client: pg.ClientBase | pg.Pool,
  streamId: string,
  batch: SerialisedEvent[],
  expectedVersion: ExpectedVersion,
): Promise<AppendResult> {
  const [outcome] = await appendMany(client, [{ streamId, batch, expectedVersion }]);
  if (outcome instanceof Error) throw outcome;
  if (outcome === streamBusy || outcome === undefined) throw new Error('a waiting append came back busy');
  return outcome;
}
