// `npm run rebuild`: builds the indicator views from position 0 beside the live ones and switches when caught up.
// With the embedded database, run it while the system is stopped (one server per data dir); a running system
// can rebuild through POST /v1/admin/rebuild instead.
import { join } from 'node:path';
import { createPostgresEventStore, openDatabase } from '@il/event-store';
import { rebuildViews } from '@il/projections';
import { loadConfig } from '@il/runtime';

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'postgres') });
try {
  const store = await createPostgresEventStore({ connectionString: db.connectionString });
  const result = await rebuildViews(db.connectionString, store);
  await store.close();
  process.stdout.write(`${JSON.stringify({ msg: 'views rebuilt and switched', ...result })}\n`);
} catch (e) {
  process.stderr.write(`rebuild failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
} finally {
  await db.stop();
}
