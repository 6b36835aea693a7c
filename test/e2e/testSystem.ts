import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresEventStore, type EventStore } from '@il/event-store';
import { createTestDatabase } from '@il/event-store/testing';
import { loadConfig, type RunningService } from '@il/runtime';
import { startSystem } from '@il/standalone';
import { testSecret } from './auth.js';

export interface TestSystem {
  system: RunningService;
  /** A second store on the same database, to look at what was stored. */
  store: EventStore;
  url: string;
  connectionString: string;
  stop(): Promise<void>;
}

/** The standalone system in-process on a fresh test database, with the e2e JWT secret; `env` overrides config. */
export async function startTestSystem(env: Record<string, string> = {}): Promise<TestSystem> {
  const db = await createTestDatabase();
  const system = await startSystem(loadConfig({ PORT: '0', DATABASE_URL: db.connectionString, DATA_DIR: mkdtempSync(join(tmpdir(), 'il-e2e-')), LOG_LEVEL: 'silent', JWT_SECRET: testSecret, ...env }));
  const store = await createPostgresEventStore({ connectionString: db.connectionString, migrate: false });
  return {
    system,
    store,
    url: system.url,
    connectionString: db.connectionString,
    async stop() {
      await store.close();
      await system.stop();
      await db.drop();
    },
  };
}
