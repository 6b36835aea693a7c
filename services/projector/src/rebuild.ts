// `npm run rebuild`: builds the indicator views from position 0 beside the live ones and switches when caught up,
// on the engines the configuration selects (EVENT_STORE, READ_MODELS). With the embedded database, run it while the
// system is stopped (one server per data dir); a running system can rebuild through POST /v1/admin/rebuild instead.
import { join } from 'node:path';
import { createPool, openDatabase } from '@il/event-store-postgres';
import { openReadModels } from '@il/query-api';
import { createLogger } from '@il/http-kit';
import { loadConfig, openEventStore } from '@il/runtime';

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'postgres') });
const pool = createPool({ connectionString: db.connectionString, max: 2, application_name: 'il-rebuild-command' });
try {
  const { store } = await openEventStore(config, { connectionString: db.connectionString, pool });
  const readModels = await openReadModels({
    config,
    store,
    connectionString: db.connectionString,
    log: createLogger('rebuild', config.LOG_LEVEL),
  });
  try {
    const result = await readModels.rebuild();
    // The command's result is its output: printed whatever LOG_LEVEL says (which quiets the store and views).
    createLogger('rebuild', 'info')({ msg: 'views rebuilt and switched', readModels: readModels.engine, ...result });
  } finally {
    await readModels.close();
    await store.close();
  }
} catch (e) {
  process.stderr.write(`rebuild failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
} finally {
  await pool.end();
  await db.stop();
}
