import type pg from 'pg';
import type { EventStore } from '@il/event-store';
import { createAnswerCache, type AnswerCache } from '../answerCache.js';
import type {
  BackgroundErrors,
  BehindTarget,
  ProgrammeIndicators,
  ProjectIndicators,
  ReadModels,
  ViewQueries,
} from '../port/readModels.js';
import { referenceQueries } from '../reference/referenceQueries.js';
import { projectsBehindTarget } from './behindTarget.js';
import { indicatorEvidence } from './evidence.js';
import { createPostgresProjector } from './postgresProjector.js';
import { postgresViewRows } from './postgresViewRows.js';
import { createProgrammePartials } from './programmePartials.js';
import { projectIndicators } from './projectIndicators.js';
import { answerFromFigures } from '../reference/projectFigures.js';
import {
  cachedProjectIndicators,
  computeAndStoreFigures,
  startFiguresRefresher,
  type ComputedFigures,
} from './projectFiguresCache.js';
import { rebuildViews } from './rebuildViews.js';
import { openViewPool } from './viewPool.js';

/**
 * The version of a programme's or a project's views: its revision in this copy (generation) of the views; undefined
 * if unknown. A project's revision moves with every change of its rows and of its programme's catalogue.
 */
async function viewVersion(pool: pg.Pool, of: 'programme' | 'project', id: string): Promise<string | undefined> {
  return (
    await pool.query<{ version: string }>({
      name: `il_view_version_${of}`,
      text: `select g.id || '/' || v.revision as version from il_view_${of}s v cross join il_view_generation g where v.${of}_id = $1`,
      values: [id],
    })
  ).rows[0]?.version;
}

type CacheStats = ReturnType<ReturnType<typeof createAnswerCache>['stats']>;

/**
 * The queries folded by PostgreSQL itself (fast path); tests check them against the reference folds. Live answers
 * are kept per version of the views they were computed from: programme-wide ones (aggregation, projects behind
 * target) because folding a large programme takes PostgreSQL about a second and dashboards ask the same question
 * again and again between changes; project ones because reading a project's cached figures moves ~25 KB of JSON
 * through PostgreSQL and this process, where checking its version is one small indexed row. A live project question
 * is answered from the project's stored figures; where they are stale, this process computes and stores them (the
 * same reference fold the refresher uses), and as-of questions are folded by PostgreSQL.
 */
export function postgresQueries(
  pool: pg.Pool,
  options: { programmeAnswers?: number; projectAnswers?: number; onError?: BackgroundErrors } = {},
): ViewQueries & {
  cacheStats(): {
    programme: CacheStats;
    project: CacheStats;
    figures: CacheStats;
    partials: { lastRecomputed: number; questions: number };
  };
} {
  const programmes = new Map<string, string>();
  const answers = createAnswerCache<ProgrammeIndicators | BehindTarget>(options.programmeAnswers ?? 64);
  const projectAnswers = createAnswerCache<ProjectIndicators>(options.projectAnswers ?? 1000);
  // Figures computed by a query because the stored ones were stale, per project version: questions about the same
  // project that arrive together (several periods or partners on one dashboard) share one computation.
  const computedFigures = createAnswerCache<ComputedFigures | undefined>(16);
  // Behind the answers: the parts per project, so that the first answer after a change aggregates only what changed.
  const partials = createProgrammePartials(pool);
  // The key is the whole query (every field may change the answer), the version what it was computed from.
  async function versioned<C, T extends C>(
    cache: AnswerCache<C>,
    of: 'programme' | 'project',
    id: string,
    q: { asOf?: Date | undefined },
    key: string,
    compute: (version?: string) => Promise<T>,
  ): Promise<T> {
    // As-of answers are exact from the contributions' recorded intervals and rarer: not cached.
    if (q.asOf) return compute();
    const version = await viewVersion(pool, of, id);
    // Unknown programme or project: the computation answers with the not-found error.
    if (version === undefined) return compute();
    // The key names the kind of question, so what is stored under it is always a T.
    return cache.get(`${id}\u0000${key}`, version, () => compute(version)) as Promise<T>;
  }
  return {
    cacheStats: () => ({
      programme: answers.stats(),
      project: projectAnswers.stats(),
      figures: computedFigures.stats(),
      partials: partials.stats(),
    }),
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
    // Lists are read through the reference rules over the SQL rows: a programme has hundreds of projects, not more.
    listProgrammes: () => referenceQueries(postgresViewRows(pool)).listProgrammes(),
    listProjects: (programmeId, q) => referenceQueries(postgresViewRows(pool)).listProjects(programmeId, q),
    async programmeScope(programmeId) {
      const { rows } = await pool.query<{ time_zone: string; indicators: string[] }>(
        `select time_zone, array(select jsonb_array_elements(catalogue->'indicators')->>'code') as indicators
           from il_view_programmes where programme_id = $1`,
        [programmeId],
      );
      const row = rows[0];
      return row && { programmeId, timeZone: row.time_zone, indicators: row.indicators };
    },
    async projectScope(projectId) {
      const { rows } = await pool.query<{
        programme_id: string;
        time_zone: string;
        indicators: string[];
        partners: string[];
      }>(
        `select p.programme_id, g.time_zone,
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
        }
      );
    },
    projectIndicators: (projectId, q) =>
      versioned(
        projectAnswers,
        'project',
        projectId,
        q,
        JSON.stringify([q.periodId, q.partner, q.today]),
        async (version) => {
          const stored = await cachedProjectIndicators(pool, projectId, q);
          if (stored) return stored;
          // Stale or missing figures (the project changed since the refresher got to it): computed here and stored,
          // so the refresher skips the project. As-of questions and unknown projects are folded in SQL.
          const computed =
            version === undefined
              ? undefined
              : await computedFigures.get(projectId, version, () =>
                  computeAndStoreFigures(pool, projectId, {
                    onStoreError: (e) => options.onError?.('figures store', e),
                  }),
                );
          return computed
            ? answerFromFigures(computed.project, computed.figures, q)
            : projectIndicators(pool, projectId, q);
        },
      ),
    indicatorEvidence: (projectId, code, q) => indicatorEvidence(pool, projectId, code, q),
    programmeIndicators: (programmeId, q) =>
      versioned(answers, 'programme', programmeId, q, JSON.stringify(['indicators', q]), () =>
        partials.programmeIndicators(programmeId, q),
      ),
    projectsBehindTarget: (programmeId, q) =>
      versioned(answers, 'programme', programmeId, q, JSON.stringify(['behind', q]), () =>
        projectsBehindTarget(pool, programmeId, q),
      ),
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
  const pool = await openViewPool(options.connectionString);
  const onError = options.onError;
  const queries =
    options.queries === 'reference'
      ? referenceQueries(postgresViewRows(pool))
      : postgresQueries(pool, onError ? { onError } : {});
  const base = await createPostgresProjector({ pool, store: options.store });
  return {
    engine: 'postgres',
    pool,
    ...queries,
    checkpoint: base.checkpoint,
    async startProjector(o = {}) {
      let lastBatchAt = 0;
      const projector = await createPostgresProjector({
        pool,
        store: options.store,
        ...(o.batchSize ? { batchSize: o.batchSize } : {}),
        ...(onError ? { onError: (e: unknown) => onError('projector', e) } : {}),
        onBatch: (e) => {
          lastBatchAt = Date.now();
          o.onBatch?.(e.length);
        },
      });
      const sub = await projector.start();
      // The figures cache is filled beside the projector; a query that finds a project's figures stale computes and
      // stores them itself. While events keep coming the refresher holds back (writes go first); once they stop it
      // catches up at full speed.
      const refresher =
        options.queries === 'reference'
          ? undefined
          : startFiguresRefresher(pool, {
              busy: () => Date.now() - lastBatchAt < 1000,
              ...(onError ? { onError: (e: unknown) => onError('figures refresher', e) } : {}),
            });
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
