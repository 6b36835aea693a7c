import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { type EventStore } from '@il/event-store';
import { createPostgresEventStore } from '@il/event-store-postgres';
import { createTestDatabase } from '@il/event-store-postgres/testing';
import { loadConfig, type RunningService } from '@il/runtime';
import { loadSocQuality, startSystem } from '@il/standalone';
import { bearer, testSecret } from './auth.js';

export interface TestSystem {
  system: RunningService;
  /** A second store on the same database, to look at what was stored. */
  store: EventStore;
  url: string;
  connectionString: string;
  stop(): Promise<void>;
}

/**
 * The environment without the relay's settings (KAFKA_BROKERS, RELAY_SINK, …): a system started with them runs a
 * relay in its process, and CI sets KAFKA_BROKERS for the Kafka suites. Systems under test get a relay only when
 * the test asks for one.
 */
export function withoutRelay(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^(KAFKA_|RELAY_)/.test(k)));
}

/**
 * `readAll` shows only events below the oldest running transaction (the store's gap safety), so right after a write
 * a projector batch that began earlier can hold the newest event back for a moment. Tests that look at what was
 * stored read once every committed event is visible (bounded wait).
 */
function readingSettled(store: EventStore & { pool: pg.Pool }): EventStore {
  return {
    ...store,
    async readAll(options) {
      const deadline = Date.now() + 5000;
      for (;;) {
        const { rows } = await store.pool.query<{ settled: boolean }>(
          `select (select count(*) from il_events where transaction_id < pg_snapshot_xmin(pg_current_snapshot())) = (select count(*) from il_events) as settled`,
        );
        if (rows[0]?.settled) break;
        if (Date.now() > deadline)
          throw new Error('committed events still invisible after 5 s: a transaction is being held open');
        await new Promise((r) => setTimeout(r, 10));
      }
      return store.readAll(options);
    },
  };
}

/** The standalone system in-process on a fresh test database, with the e2e JWT secret; `env` overrides config. */
export async function startTestSystem(env: Record<string, string> = {}): Promise<TestSystem> {
  const db = await createTestDatabase();
  const settings = {
    PORT: '0',
    DATABASE_URL: db.connectionString,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'il-e2e-')),
    LOG_LEVEL: 'silent',
    JWT_SECRET: testSecret,
    ...env,
  };
  const system = await startSystem(loadConfig(settings), { ...withoutRelay(process.env), ...env });
  const store = await createPostgresEventStore({ connectionString: db.connectionString, migrate: false });
  return {
    system,
    store: readingSettled(store),
    url: system.url,
    connectionString: db.connectionString,
    async stop() {
      await store.close();
      await system.stop();
      await db.drop();
    },
  };
}

/** A test system with the SocQuality demo loaded, the admin token that loaded it and the last write's position. */
export async function startDemoSystem(
  env: Record<string, string> = {},
): Promise<TestSystem & { admin: string; lastPosition: string }> {
  const t = await startTestSystem(env);
  const admin = await bearer();
  const { lastPosition } = await loadSocQuality(t.url, { authorization: admin });
  return { ...t, admin, lastPosition };
}
