import pg from 'pg';
import { pause } from '@il/event-store';

/**
 * One LISTEN connection per store that wakes waiting subscriptions when an append commits. If it breaks, waiters
 * still wake on their timeout, and it reconnects on the next wait: notifications only make delivery faster.
 */
export function createNotifier(connectionString: string, channel: string) {
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  const waiters = new Set<() => void>();
  let closed = false;

  function wakeAll(): void {
    for (const w of [...waiters]) w();
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString });
    c.on('notification', wakeAll);
    c.on('error', () => {
      if (client === c) client = undefined;
      c.end().catch(() => undefined);
    });
    await c.connect();
    await c.query(`listen ${channel}`);
    if (closed) await c.end();
    else client = c;
  }

  function ensureConnected(): void {
    if (client || connecting || closed) return;
    connecting = connect()
      .catch(() => undefined)
      .finally(() => {
        connecting = undefined;
      });
  }

  return {
    wait(ms: number, signal: AbortSignal): Promise<void> {
      ensureConnected();
      return pause(ms, signal, waiters);
    },
    async close(): Promise<void> {
      closed = true;
      wakeAll();
      await connecting;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
