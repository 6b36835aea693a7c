import type pg from 'pg';

/**
 * Runs `work` on a client checked out of the pool, and gives it back. The pool listens for errors of idle clients
 * only: a connection lost while a client is checked out emits an 'error' nobody handles, which ends the process
 * (seen when the database restarted under a projector batch). The error still reaches `work` through its query; the
 * broken client is destroyed instead of going back to the pool.
 */
export async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (e: Error) => {
    lost = e;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } finally {
    client.off('error', onError);
    client.release(lost);
  }
}
