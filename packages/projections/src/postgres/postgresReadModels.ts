import type pg from 'pg';
import type { EventStore } from '@il/event-store';
import type { ReadModels, ViewQueries } from '../port/readModels.js';
import { referenceQueries } from '../reference/referenceQueries.js';
import { projectsBehindTarget } from './behindTarget.js';
import { indicatorEvidence } from './evidence.js';
import { createPostgresProjector } from './postgresProjector.js';
import { postgresViewRows } from './postgresViewRows.js';
import { programmeIndicators } from './programmeIndicators.js';
import { projectIndicators } from './projectIndicators.js';
import { cachedProjectIndicators, startFiguresRefresher } from './projectFiguresCache.js';
import { rebuildViews } from './rebuildViews.js';
import { openViewPool } from './viewPool.js';

/** The queries folded by PostgreSQL itself (fast path); tests check them against the reference folds. */
export function postgresQueries(pool: pg.Pool): ViewQueries {
  const programmes = new Map<string, string>();
  return {
    async projectProgramme(projectId) {
      // A project's programme never changes once registered, so it is remembered (bounded) after the first read.
      const known = programmes.get(projectId);
      if (known) return known;
      const programmeId = (await pool.query<{ programme_id: string }>('select programme_id from il_view_projects where project_id = $1', [projectId])).rows[0]?.programme_id;
      if (programmeId) {
        if (programmes.size >= 100_000) programmes.clear();
        programmes.set(projectId, programmeId);
      }
      return programmeId;
    },
    projectIndicators: async (projectId, q) => (await cachedProjectIndicators(pool, projectId, q)) ?? projectIndicators(pool, projectId, q),
    indicatorEvidence: (projectId, code, q) => indicatorEvidence(pool, projectId, code, q),
    programmeIndicators: (programmeId, q) => programmeIndicators(pool, programmeId, q),
    projectsBehindTarget: (programmeId, q) => projectsBehindTarget(pool, programmeId, q),
  };
}

/**
 * The PostgreSQL read models: views in the events' database (schema il_views), checkpoint and view changes in one
 * transaction. `queries: 'reference'` answers with the in-process reference folds over the same rows instead of
 * SQL — how the contract suite checks the code path that adapters without SQL (MongoDB) use.
 */
export async function createPostgresReadModels(options: { connectionString: string; store: EventStore; queries?: 'sql' | 'reference' }): Promise<ReadModels & { pool: pg.Pool }> {
  const pool = await openViewPool(options.connectionString);
  const queries = options.queries === 'reference' ? referenceQueries(postgresViewRows(pool)) : postgresQueries(pool);
  const base = await createPostgresProjector({ pool, store: options.store });
  return {
    engine: 'postgres',
    pool,
    ...queries,
    checkpoint: base.checkpoint,
    async startProjector(o = {}) {
      const projector = o.batchSize || o.onBatch
        ? await createPostgresProjector({ pool, store: options.store, ...(o.batchSize ? { batchSize: o.batchSize } : {}), ...(o.onBatch ? { onBatch: (e) => o.onBatch!(e.length) } : {}) })
        : base;
      const sub = await projector.start();
      // The figures cache is filled beside the projector; queries fold from the contributions until it is.
      const refresher = options.queries === 'reference' ? undefined : startFiguresRefresher(pool);
      return {
        done: sub.done,
        async stop() {
          await refresher?.stop();
          await sub.stop();
        },
      };
    },
    rebuild: (o) => rebuildViews(options.connectionString, options.store, o),
    close: () => pool.end(),
  };
}
