import pg from 'pg';

/**
 * Every PostgreSQL pool of the product is made here, so none is without an 'error' listener: pg emits 'error' on
 * the pool when an idle connection is lost (a server restart, `pg_terminate_backend`), and an 'error' event nobody
 * listens to ends the whole process. Such an error needs no answer of its own: the connection is discarded and the
 * next query on the pool fails or reconnects. `onError` hears of it (a logger, a metric).
 *
 * A connection once opened is kept (`min` defaults to `max`): pg closes idle connections after 10 s by default, so
 * after a quiet spell (the query pool while a write burst goes to the projector's one connection) the next burst
 * of requests opened up to `max` connections at once, each a new server process doing SCRAM authentication on both
 * sides and loading its catalogue caches and plans cold — the slowest requests of the benchmark row "project,
 * right after the writes" (p99 over 100 ms, the event loop itself stalled). A lost connection is still replaced.
 */
export function createPool(config: pg.PoolConfig, onError: (error: Error) => void = () => undefined): pg.Pool {
  const pool = new pg.Pool({ min: config.max ?? 10, ...config });
  pool.on('error', onError);
  return pool;
}
