import type pg from 'pg';
import { createPool, runMigrations } from '@il/event-store-postgres';
import { viewMigrations } from './viewSchema.js';

/** Live views are in this schema; a rebuild fills another one and renames it into place. */
export const liveViewSchema = 'il_views';

/** Advisory lock key: projector batches hold it shared, the rebuild's schema switch exclusively. */
export const viewSwitchLock = 'il_views_switch';

/**
 * A pool whose unqualified table names resolve to the given view schema (created and migrated if missing). Names
 * are resolved per statement, so after a rebuild renames a fresh schema to `il_views` the same pool reads it.
 */
export async function openViewPool(
  connectionString: string,
  schema = liveViewSchema,
  max = 10,
  options: { durableCommits?: boolean; applicationName?: string; openAll?: boolean } = {},
): Promise<pg.Pool> {
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(schema)) throw new RangeError(`invalid view schema name ${schema}`);
  const commits = options.durableCommits === false ? ' -c synchronous_commit=off' : '';
  const pool = createPool({
    connectionString,
    max,
    application_name: options.applicationName ?? 'il-views',
    options: `-c search_path=${schema},public${commits}`,
  });
  await pool.query(`create schema if not exists ${schema}`);
  await runMigrations(pool, 'projections', viewMigrations);
  if (options.openAll) await openEveryConnection(pool, max);
  return pool;
}

/**
 * Opens the pool's connections now (`openAll`: the pool that answers queries) rather than at the first burst of
 * queries: a new connection is a new server process, SCRAM authentication on both sides and cold catalogue caches,
 * and a burst that opened all of them at once stalled the process for over 100 ms (createPool keeps them open).
 */
async function openEveryConnection(pool: pg.Pool, count: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  for (const c of clients) c.release();
}
