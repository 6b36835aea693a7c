import type pg from 'pg';
import {
  cachedAnswers,
  referenceQueries,
  viewQueries,
  type BackgroundErrors,
  type ReadModels,
  type ViewQueries,
  type ViewVersion,
} from '@il/projections';
import type { EventStore } from '@il/event-store';
import { createPostgresProjector } from './postgresProjector.js';
import { postgresFigureReads } from './postgresFigureReads.js';
import { postgresViewRows } from './postgresViewRows.js';
import { rebuildViews } from './rebuildViews.js';
import { openViewPool } from './viewPool.js';

/** The version columns of a scope read: the row's revision, this copy's generation and the views' format. */
const versionColumns = (revision: string) =>
  `${revision}::int8::text as revision, (select id::text from il_view_generation) as generation, (select version from il_view_format) as format`;
type VersionColumns = { revision: string; generation: string; format: number };
const versionOf = (r: VersionColumns): ViewVersion => ({
  generation: r.generation,
  format: r.format,
  revision: Number(r.revision),
});

/**
 * The queries over the cells the projector maintains, read with plain grouped SQL (see postgresFigureReads) and
 * answered by the shared rules (viewQueries). The scope checks every query starts with are one indexed row each.
 */
export function postgresQueries(pool: pg.Pool): ViewQueries {
  const programmes = new Map<string, string>();
  // Answers are reused while the project's or programme's views stay at the version the question's scope read.
  const answers = cachedAnswers(viewQueries(postgresFigureReads(pool)));
  return {
    ...answers,
    async projectProgramme(projectId) {
      // A project's programme never changes once registered, so it is remembered (bounded) after the first read.
      const known = programmes.get(projectId);
      if (known) return known;
      const programmeId = (
        await pool.query<{ programme_id: string }>('select programme_id from il_view_projects where project_id = $1', [
          projectId,
        ])
      ).rows[0]?.programme_id;
      if (programmeId) {
        if (programmes.size >= 100_000) programmes.clear();
        programmes.set(projectId, programmeId);
      }
      return programmeId;
    },
    async programmeScope(programmeId) {
      const { rows } = await pool.query<{ time_zone: string; indicators: string[] } & VersionColumns>(
        `select time_zone, array(select jsonb_array_elements(catalogue->'indicators')->>'code') as indicators,
                ${versionColumns('il_view_programmes.revision')}
           from il_view_programmes where programme_id = $1`,
        [programmeId],
      );
      const row = rows[0];
      return row && { programmeId, timeZone: row.time_zone, indicators: row.indicators, version: versionOf(row) };
    },
    async projectScope(projectId) {
      const { rows } = await pool.query<
        {
          programme_id: string;
          time_zone: string;
          indicators: string[];
          partners: string[];
        } & VersionColumns
      >(
        `select p.programme_id, g.time_zone, ${versionColumns('p.revision')},
                array(select jsonb_array_elements(g.catalogue->'indicators')->>'code') as indicators,
                array(select partner_code from il_view_partners where project_id = p.project_id order by partner_code collate "C") as partners
           from il_view_projects p join il_view_programmes g using (programme_id) where p.project_id = $1`,
        [projectId],
      );
      const row = rows[0];
      return (
        row && {
          projectId,
          programmeId: row.programme_id,
          timeZone: row.time_zone,
          indicators: row.indicators,
          partners: row.partners,
          version: versionOf(row),
        }
      );
    },
  };
}

/**
 * The PostgreSQL read models: views in the events' database (schema il_views), checkpoint and view changes in one
 * transaction. `queries: 'reference'` answers with the in-process reference folds over the same rows instead of
 * SQL — how the contract suite checks the code path that adapters without SQL (MongoDB) use.
 */
export async function createPostgresReadModels(options: {
  connectionString: string;
  store: EventStore;
  queries?: 'sql' | 'reference';
  onError?: BackgroundErrors;
}): Promise<ReadModels & { pool: pg.Pool }> {
  const pool = await openViewPool(options.connectionString, undefined, undefined, { openAll: true });
  const onError = options.onError;
  const queries = options.queries === 'reference' ? referenceQueries(postgresViewRows(pool)) : postgresQueries(pool);
  const base = await createPostgresProjector({ pool, store: options.store });
  return {
    engine: 'postgres',
    pool,
    ...queries,
    checkpoint: base.checkpoint,
    async startProjector(o = {}) {
      const projector = await createPostgresProjector({
        pool,
        store: options.store,
        ...(o.batchSize ? { batchSize: o.batchSize } : {}),
        ...(onError ? { onError: (e: unknown) => onError('projector', e) } : {}),
        onBatch: (e) => o.onBatch?.(e.length),
      });
      return projector.start();
    },
    rebuild: (o) => rebuildViews(options.connectionString, options.store, o),
    close: () => pool.end(),
  };
}
