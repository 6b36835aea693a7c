import type pg from 'pg';
import { pause } from '@il/event-store';
import type { IndicatorQuery, ProjectIndicators } from '../port/readModels.js';
import {
  answerFromFigures,
  computeProjectFigures,
  type FigureContribution,
  type ProjectFigures,
} from '../reference/projectFigures.js';
import type { ProjectRow } from '../reference/viewRows.js';
import { catalogueFromText } from './catalogueCache.js';
import { postgresViewRows, projectColumns } from './postgresViewRows.js';

/**
 * A live project query answered from the project's cached figures: one indexed read, used only when the figures
 * were computed at the project's current revision. Undefined when they are missing or stale (the caller folds).
 */
export async function cachedProjectIndicators(
  pool: pg.Pool,
  projectId: string,
  q: IndicatorQuery,
): Promise<ProjectIndicators | undefined> {
  if (q.asOf) return undefined;
  const row = (
    await pool.query<ProjectRow & { figures: ProjectFigures }>(
      `select ${projectColumns}, f.figures from il_view_projects p join il_view_project_figures f on f.project_id = p.project_id and f.revision = p.revision where p.project_id = $1`,
      [projectId],
    )
  ).rows[0];
  if (!row) return undefined;
  const { figures, ...project } = row;
  return answerFromFigures(project, figures, q);
}

/** A project's figures with the project they were computed for. */
export interface ComputedFigures {
  project: ProjectRow;
  figures: ProjectFigures;
}

/**
 * Computes a project's figures from its live contributions and stores them for later readers: the refresher's work,
 * and a live query's when it finds the stored figures stale (so a project is computed once, not folded by the query
 * and again by the refresher). Undefined for an unknown project, or when `skipIfFresh` and the stored figures are
 * current (a query computed them meanwhile). With `onStoreError`, a failure to store is reported there and the
 * figures are still returned.
 *
 * The revision and the views' generation are read before the rows: if the projector changes the project meanwhile,
 * the figures are stored with an older revision than the project's and not used; if a rebuild switches the views
 * meanwhile, they are not stored at all (the new copy's revisions start again, and could meet this one).
 */
export async function computeAndStoreFigures(
  pool: pg.Pool,
  projectId: string,
  options: { skipIfFresh?: boolean; onStoreError?: (e: unknown) => void } = {},
): Promise<ComputedFigures | undefined> {
  const head = (
    await pool.query<ProjectRow & { revision: string; catalogue: string; generation: string; fresh: boolean }>({
      name: 'il_figures_head',
      text: `select ${projectColumns}, p.revision::text as revision, g.catalogue::text as catalogue, gen.id::text as generation, coalesce(f.revision = p.revision, false) as fresh
           from il_view_projects p join il_view_programmes g on g.programme_id = p.programme_id cross join il_view_generation gen
           left join il_view_project_figures f on f.project_id = p.project_id where p.project_id = $1`,
      values: [projectId],
    })
  ).rows[0];
  if (!head || (options.skipIfFresh && head.fresh)) return undefined;
  const { revision, catalogue, generation, fresh: _, ...project } = head;
  const rows = postgresViewRows(pool);
  const [targets, contributions] = await Promise.all([
    rows.targets(projectId),
    liveFigureContributions(pool, projectId),
  ]);
  const figures = computeProjectFigures(project, catalogueFromText(catalogue), targets, contributions);
  // A query answers from what it computed even if storing fails (the refresher will store them); the refresher
  // itself lets the failure through, to its error handler.
  const storing = storeFigures(pool, projectId, { revision, generation }, figures);
  if (options.onStoreError) await storing.catch(options.onStoreError);
  else await storing;
  return { project, figures };
}

/**
 * Stores a project's figures as computed at `revision` of the views' copy `generation`; nothing when the views are
 * another copy by now (a rebuild switched them while the figures were computed).
 */
export async function storeFigures(
  pool: pg.Pool,
  projectId: string,
  at: { revision: string; generation: string },
  figures: ProjectFigures,
): Promise<boolean> {
  const r = await pool.query({
    name: 'il_figures_store',
    text: `insert into il_view_project_figures (project_id, revision, figures) select $1, $2, $3 from il_view_generation where id = $4
           on conflict (project_id) do update set revision = excluded.revision, figures = excluded.figures`,
    values: [projectId, at.revision, JSON.stringify(figures), at.generation],
  });
  return r.rowCount === 1;
}

/** Computes and stores the figures of up to `limit` projects whose stored figures are missing or behind their revision. */
export async function refreshProjectFigures(pool: pg.Pool, limit = 10): Promise<number> {
  const stale = (
    await pool.query<{ project_id: string }>(
      `select p.project_id from il_view_projects p left join il_view_project_figures f on f.project_id = p.project_id
     where f.project_id is null or f.revision <> p.revision order by p.project_id limit $1`,
      [limit],
    )
  ).rows;
  for (const s of stale) await computeAndStoreFigures(pool, s.project_id, { skipIfFresh: true });
  return stale.length;
}

/**
 * The live contributions of a project with only what the figures need, in the order they were recorded, as one
 * text value: sending ~1,500 rows as rows cost this process twice the CPU of splitting one string, and the ids and
 * validity instants of the full rows were half of what PostgreSQL sent.
 */
async function liveFigureContributions(pool: pg.Pool, projectId: string): Promise<FigureContribution[]> {
  // Records are joined with the group separator, fields with the unit separator. Indicator and partner codes are
  // slugs (the domain validates them), dates and numbers cannot hold either; the distinct key is free text, so it
  // comes last, absent when null, and is whatever follows the fourth field. A key holding a group separator would
  // add a record: when the records do not match the count, they are read as rows instead.
  const row = (
    await pool.query<{ n: string; contributions: string | null }>({
      name: 'il_figure_contributions',
      text: `select count(*) as n, string_agg(indicator || chr(31) || partner || chr(31) || to_char(occurred_on, 'YYYY-MM-DD') || chr(31) || value::text || coalesce(chr(31) || distinct_key, ''), chr(29) order by id) as contributions
           from il_view_contributions where project_id = $1 and valid_to is null`,
      values: [projectId],
    })
  ).rows[0];
  if (!row?.contributions) return [];
  const records = row.contributions.split('\u001d');
  if (records.length !== Number(row.n)) return liveFigureContributionRows(pool, projectId);
  return records.map((record) => {
    const a = record.indexOf('\u001f');
    const b = record.indexOf('\u001f', a + 1);
    const c = record.indexOf('\u001f', b + 1);
    const d = record.indexOf('\u001f', c + 1);
    return {
      indicator: record.slice(0, a),
      partner: record.slice(a + 1, b),
      date: record.slice(b + 1, c),
      value: Number(record.slice(c + 1, d < 0 ? undefined : d)),
      distinctKey: d < 0 ? null : record.slice(d + 1),
    };
  });
}

async function liveFigureContributionRows(pool: pg.Pool, projectId: string): Promise<FigureContribution[]> {
  const rows = (
    await pool.query<{ indicator: string; partner: string; date: string; value: string; distinctKey: string | null }>(
      `select indicator, partner, to_char(occurred_on, 'YYYY-MM-DD') as date, value::text as value, distinct_key as "distinctKey"
     from il_view_contributions where project_id = $1 and valid_to is null order by id`,
      [projectId],
    )
  ).rows;
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}

/** Keeps the figures cache filled in the background: a few projects at a time, so writes and queries go first. */
export function startFiguresRefresher(
  pool: pg.Pool,
  options: {
    batch?: number;
    pauseMs?: number;
    idleMs?: number;
    busy?: () => boolean;
    onError?: (e: unknown) => void;
  } = {},
) {
  const stopping = new AbortController();
  const done = (async () => {
    while (!stopping.signal.aborted) {
      try {
        const started = Date.now();
        const n = await refreshProjectFigures(pool, options.batch ?? 10);
        // While busy() (events arriving), at most a quarter of the time: during a burst of writes every project
        // changes again within seconds, and refolding each at once took CPU from the writes (a query that finds a
        // project stale computes its figures itself).
        const wait = options.busy?.()
          ? Math.max(options.pauseMs ?? 20, 3 * (Date.now() - started))
          : (options.pauseMs ?? 20);
        await pause(n > 0 ? wait : (options.idleMs ?? 500), stopping.signal);
      } catch (e) {
        options.onError?.(e);
        await pause(1000, stopping.signal);
      }
    }
  })();
  return {
    done,
    async stop() {
      stopping.abort();
      await done;
    },
  };
}
