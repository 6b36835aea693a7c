import pg from 'pg';

/**
 * Every PostgreSQL pool of the product is made here, so none is without an 'error' listener: pg emits 'error' on
 * the pool when an idle connection is lost (a server restart, `pg_terminate_backend`), and an 'error' event nobody
 * listens to ends the whole process. Such an error needs no answer of its own: the connection is discarded and the
 * next query on the pool fails or reconnects. `onError` hears of it (a logger, a metric).
 */
export function createPool(config: pg.PoolConfig, onError: (error: Error) => void = () => undefined): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', onError);
  return pool;
}
