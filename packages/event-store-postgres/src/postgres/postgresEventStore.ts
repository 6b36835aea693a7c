import type pg from 'pg';
import { catchUpSubscription } from '@il/event-store';
import type { EventStore, ReadAllResult, StoredEvent } from '@il/event-store';
import { parsePosition, startPosition, type Position } from '@il/event-store';
import { validateAppend, validateStreamId } from '@il/event-store';
import { notifyChannel } from './appendMany.js';
import { createAppendBatcher } from './appendBatcher.js';
import { createPool } from './createPool.js';
import { eventStoreMigrations } from './eventStoreSchema.js';
import { runMigrations } from './migrate.js';
import { createNotifier } from './notifier.js';
import { eventColumns, rowToEvent, type EventRow } from './rowToEvent.js';
import { asStoreError } from './unavailable.js';

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** An existing pool to share (read models use the same database); closed by its owner, not by the store. */
  pool?: pg.Pool;
  poolSize?: number;
  /** Run schema migrations before first use (default true). */
  migrate?: boolean;
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw asStoreError(e);
  }
}

/** Only events of transactions older than every running one: nothing can later appear before them. */
const visible = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

export async function createPostgresEventStore(
  options: PostgresEventStoreOptions,
): Promise<EventStore & { pool: pg.Pool }> {
  const ownsPool = !options.pool;
  const pool =
    options.pool ??
    createPool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: 'il-event-store',
    });
  // A pool handed in may come without a listener (tests make their own): a lost idle connection must not end the
  // process through the store either.
  if (options.pool) options.pool.on('error', () => undefined);
  if (options.migrate !== false) await runMigrations(pool, 'event-store', eventStoreMigrations);
  const notifier = createNotifier(options.connectionString, notifyChannel);
  const batcher = createAppendBatcher(pool);

  async function readAll({
    after = startPosition,
    limit,
  }: {
    after?: Position;
    limit: number;
  }): Promise<ReadAllResult> {
    const [tx, pos] = parsePosition(after);
    const rows = await guard(() =>
      pool.query<EventRow>(
        `select ${eventColumns} from il_events
         where (transaction_id, global_position) > ($1::text::xid8, $2::bigint) and ${visible}
         order by il_events.transaction_id, il_events.global_position limit $3`,
        [tx.toString(), pos.toString(), Math.max(1, Math.min(limit, 10_000))],
      ),
    );
    const events = rows.rows.map(rowToEvent);
    return { events, position: events.length > 0 ? events[events.length - 1]!.position : after };
  }

  return {
    pool,
    async readByStream({ upTo, after, limit }) {
      const [tx, pos] = parsePosition(upTo);
      const n = Math.max(1, Math.min(limit, 10_000));
      // By the (stream_id, stream_version) key's index (columns qualified: the select list has text aliases of the same
      // names, which ORDER BY would sort by); the position bound keeps out what was committed after upTo.
      const rows = await guard(() =>
        pool.query<EventRow>(
          `select ${eventColumns} from il_events
           where (stream_id, stream_version) > ($1::text, $2::bigint) and (transaction_id, global_position) <= ($3::text::xid8, $4::bigint)
           order by il_events.stream_id, il_events.stream_version limit $5`,
          [after?.streamId ?? '', after?.streamVersion ?? 0, tx.toString(), pos.toString(), n],
        ),
      );
      const events = rows.rows.map(rowToEvent);
      const last = events.at(-1);
      return {
        events,
        next: events.length < n || !last ? null : { streamId: last.streamId, streamVersion: last.streamVersion },
      };
    },
    async appendToStream(streamId, events, { expectedVersion }) {
      const batch = validateAppend(streamId, events, expectedVersion);
      // One statement in autocommit, shared with the appends that arrive while others are being written.
      return guard(() => batcher.append({ streamId, batch, expectedVersion }));
    },

    async readStream(streamId, { from = 1, to } = {}): Promise<StoredEvent[]> {
      validateStreamId(streamId);
      const rows = await guard(() =>
        pool.query<EventRow>(
          `select ${eventColumns} from il_events where stream_id = $1 and stream_version >= $2 and ($3::bigint is null or stream_version <= $3)
           order by il_events.stream_version`,
          [streamId, from, to ?? null],
        ),
      );
      return rows.rows.map(rowToEvent);
    },

    async streamVersion(streamId) {
      validateStreamId(streamId);
      const r = await guard(() =>
        pool.query<{ version: string }>('select version::text from il_streams where stream_id = $1', [streamId]),
      );
      return Number(r.rows[0]?.version ?? 0);
    },

    readAll,

    subscribe(subscribeOptions) {
      return catchUpSubscription(
        { readAll: (o) => readAll(o), waitForNews: (ms, signal) => notifier.wait(ms, signal) },
        subscribeOptions,
      );
    },

    async headPosition() {
      const r = await guard(() =>
        pool.query<EventRow>(
          `select ${eventColumns} from il_events where ${visible} order by il_events.transaction_id desc, il_events.global_position desc limit 1`,
        ),
      );
      const row = r.rows[0];
      if (!row) return { position: startPosition, globalPosition: 0, recordedAt: null };
      const e = rowToEvent(row);
      return { position: e.position, globalPosition: e.globalPosition, recordedAt: e.recordedAt };
    },

    async close() {
      await notifier.close();
      if (ownsPool) await pool.end();
    },
  };
}
