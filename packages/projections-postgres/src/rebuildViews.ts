import type pg from 'pg';
import { comparePositions, type EventStore } from '@il/event-store';
import { createPool, withClient } from '@il/event-store-postgres';
import { createPostgresProjector } from './postgresProjector.js';
import { BulkLoadNotApplicable, bulkLoad } from './bulkLoad.js';
import { liveViewSchema, openViewPool, viewSwitchLock } from './viewPool.js';

const rebuildSchema = 'il_views_rebuild';
const retiredSchema = 'il_views_retired';
export const rebuildApplicationName = 'il-rebuild';
/** The projector whose views a rebuild builds (createPostgresProjector's default name). */
const projectorName = 'indicators';

/**
 * Builds a fresh copy of the views from position 0 in a schema beside the live one while the live views keep
 * serving, then swaps the two schemas in one transaction. The live projector notices the moved checkpoint on its
 * next batch and resumes from the rebuilt one, so nothing is lost or counted twice across the switch.
 *
 * Up to the store's head it folds stream by stream (bulkLoad) where the store and the history allow, then batch by
 * batch; `bulk` says how many events went the first way.
 *
 * A rebuild that fails (a lost connection, a timeout) drops its half-built schema and rejects; the live views are
 * untouched. Its connections are named `il-rebuild` in pg_stat_activity.
 */
export async function rebuildViews(
  connectionString: string,
  store: EventStore,
  options: { timeoutMs?: number } = {},
): Promise<{ events: number; ms: number; bulk: number }> {
  const started = Date.now();
  const admin = createPool({ connectionString, max: 1, application_name: rebuildApplicationName });
  try {
    return await buildAndSwitch(connectionString, store, admin, options, started);
  } catch (e) {
    // On a fresh connection (the one that failed may be the reason), a few times over a few seconds: a transaction
    // of the rebuild's own that the server has not finished ending yet can hold the schema's tables for a moment.
    // If even this fails, the next rebuild drops the schema before it starts.
    for (let attempt = 0; attempt < 10; attempt++) {
      const dropped = await admin.query(`drop schema if exists ${rebuildSchema} cascade`).then(
        () => true,
        () => false,
      );
      if (dropped) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw e;
  } finally {
    await admin.end();
  }
}

async function buildAndSwitch(
  connectionString: string,
  store: EventStore,
  admin: pg.Pool,
  options: { timeoutMs?: number },
  started: number,
): Promise<{ events: number; ms: number; bulk: number }> {
  await admin.query(`drop schema if exists ${rebuildSchema} cascade`);
  // A rebuild's writes need not wait for their commits to reach disk: after a crash the rebuild starts over from
  // an empty schema, and the switch's own (durable) commit flushes everything written before it.
  const open = () =>
    openViewPool(connectionString, rebuildSchema, 10, {
      durableCommits: false,
      applicationName: rebuildApplicationName,
    });
  let pool = await open();
  let events = 0;
  let bulkEvents: number;
  try {
    // Up to the head stream by stream where the store can (bulkLoad); the projector below carries on from there.
    const bulk = await bulkLoad(pool, store, projectorName).catch(async (e: unknown) => {
      if (!(e instanceof BulkLoadNotApplicable)) throw e;
      if (e.wroteRows) {
        await pool.end();
        await admin.query(`drop schema if exists ${rebuildSchema} cascade`);
        pool = await open();
      }
      return undefined;
    });
    events = bulkEvents = bulk ?? 0;
    // Without the bulk load: bulk load first, index after, here too. Building the as-of index of the cells once is
    // cheaper than maintaining it per batch. (The indexes the projector reads through while the rebuild runs stay:
    // live outputs, keys, contributions by project and indicator, live cells.)
    if (bulk === undefined) await pool.query('drop index il_view_cells_project');
    const projector = await createPostgresProjector({
      pool,
      store,
      name: projectorName,
      batchSize: 10_000,
      onBatch: (e) => (events += e.length),
    });
    const sub = await projector.start();
    const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
    try {
      for (;;) {
        const head = await store.headPosition();
        if (comparePositions((await projector.checkpoint()).position, head.position) >= 0) break;
        if (Date.now() > deadline) throw new Error('rebuild did not catch up in time; the live views are unchanged');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await sub.stop();
    }
    if (bulk === undefined)
      await withClient(pool, async (client) => {
        // Enough sort memory to build the index in one pass instead of spilling runs to disk.
        await client.query(`set maintenance_work_mem = '256MB'`);
        await client.query('create index il_view_cells_project on il_view_cells (project_id, indicator)');
        await client.query('reset maintenance_work_mem');
      });
    // Fresh tables have no planner statistics until autovacuum gets to them; without them the first minutes of
    // queries after the switch chose plans several times slower (bitmap scans over the whole table).
    // (After a bulk load the two large tables were analysed before the projector's first batch already.)
    await pool.query(
      `analyze ${bulk === undefined ? 'il_view_contributions, il_view_cells, ' : ''}il_view_group_months, il_view_projects, il_view_partners, il_view_targets, il_view_programmes`,
    );
  } finally {
    await pool.end();
  }
  await withClient(admin, async (client) => {
    try {
      await client.query('begin');
      // Waits for projector batches in flight and holds new ones back until the rename is committed.
      await client.query(`select pg_advisory_xact_lock(hashtextextended('${viewSwitchLock}', 0))`);
      await client.query(`create schema if not exists ${liveViewSchema}`);
      await client.query(`alter schema ${liveViewSchema} rename to ${retiredSchema}`);
      await client.query(`alter schema ${rebuildSchema} rename to ${liveViewSchema}`);
      await client.query('commit');
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      throw e;
    }
  });
  await admin.query(`drop schema if exists ${retiredSchema} cascade`);
  return { events, ms: Date.now() - started, bulk: bulkEvents };
}
