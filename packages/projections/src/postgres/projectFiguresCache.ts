import type pg from 'pg';
import type { IndicatorQuery, ProjectIndicators } from '../port/readModels.js';
import { answerFromFigures, computeProjectFigures, type FigureContribution, type ProjectFigures } from '../reference/projectFigures.js';
import type { ProjectRow } from '../reference/viewRows.js';
import { postgresViewRows } from './postgresViewRows.js';

const projectColumns = `p.project_id as "projectId", p.programme_id as "programmeId", p.priority, p.specific_objective as "specificObjective",
  to_char(p.start_date, 'YYYY-MM-DD') as "startDate", to_char(p.end_date, 'YYYY-MM-DD') as "endDate", p.reporting_period_months as "reportingPeriodMonths"`;

/**
 * A live project query answered from the project's cached figures: one indexed read, used only when the figures
 * were computed at the project's current revision. Undefined when they are missing or stale (the caller folds).
 */
export async function cachedProjectIndicators(pool: pg.Pool, projectId: string, q: IndicatorQuery): Promise<ProjectIndicators | undefined> {
  if (q.asOf) return undefined;
  const row = (await pool.query<ProjectRow & { figures: ProjectFigures }>(
    `select ${projectColumns}, f.figures from il_view_projects p join il_view_project_figures f on f.project_id = p.project_id and f.revision = p.revision where p.project_id = $1`,
    [projectId],
  )).rows[0];
  if (!row) return undefined;
  const { figures, ...project } = row;
  return answerFromFigures(project, figures, q);
}

/**
 * Computes the figures of up to `limit` projects whose cache is missing or behind their revision, with the
 * reference fold over their live contributions. The revision is read before the rows: if the projector changes the
 * project meanwhile, the stored figures carry an older revision than the project and are not used.
 */
export async function refreshProjectFigures(pool: pg.Pool, limit = 10): Promise<number> {
  const stale = (await pool.query<{ project_id: string; revision: string }>(
    `select p.project_id, p.revision::text from il_view_projects p left join il_view_project_figures f on f.project_id = p.project_id
     where f.project_id is null or f.revision <> p.revision order by p.project_id limit $1`,
    [limit],
  )).rows;
  const rows = postgresViewRows(pool);
  for (const s of stale) {
    const project = await rows.project(s.project_id);
    const catalogue = project && (await rows.catalogue(project.programmeId));
    if (!project || !catalogue) continue;
    const [targets, contributions] = await Promise.all([rows.targets(s.project_id), liveFigureContributions(pool, s.project_id)]);
    await pool.query(
      `insert into il_view_project_figures (project_id, revision, figures) values ($1, $2, $3)
       on conflict (project_id) do update set revision = excluded.revision, figures = excluded.figures`,
      [s.project_id, s.revision, JSON.stringify(computeProjectFigures(project, catalogue, targets, contributions))],
    );
  }
  return stale.length;
}

/**
 * The live contributions of a project with only what the figures need: the full rows' ids and validity instants
 * were half of what PostgreSQL sent and this process parsed per refreshed project.
 */
async function liveFigureContributions(pool: pg.Pool, projectId: string): Promise<FigureContribution[]> {
  const rows = (await pool.query<{ indicator: string; partner: string; date: string; value: string; distinctKey: string | null }>({
    name: 'il_figure_contributions',
    text: `select indicator, partner, to_char(occurred_on, 'YYYY-MM-DD') as date, value::text as value, distinct_key as "distinctKey"
           from il_view_contributions where project_id = $1 and valid_to is null order by id`,
    values: [projectId],
  })).rows;
  return rows.map((r) => ({ indicator: r.indicator, partner: r.partner, date: r.date, value: Number(r.value), distinctKey: r.distinctKey }));
}

/** Keeps the figures cache filled in the background: a few projects at a time, so writes and queries go first. */
export function startFiguresRefresher(pool: pg.Pool, options: { batch?: number; pauseMs?: number; idleMs?: number; busy?: () => boolean; onError?: (e: unknown) => void } = {}) {
  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) => new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    wake = () => (clearTimeout(t), r());
  });
  const done = (async () => {
    while (!stopped) {
      try {
        const started = Date.now();
        const n = await refreshProjectFigures(pool, options.batch ?? 10);
        // While busy() (events arriving), at most a quarter of the time: during a burst of writes every project
        // changes again within seconds, and refolding each at once took CPU from the writes (queries fold in SQL
        // until the figures are fresh).
        const pause = options.busy?.() ? Math.max(options.pauseMs ?? 20, 3 * (Date.now() - started)) : (options.pauseMs ?? 20);
        await sleep(n > 0 ? pause : (options.idleMs ?? 500));
      } catch (e) {
        options.onError?.(e);
        await sleep(1000);
      }
    }
  })();
  return {
    done,
    async stop() {
      stopped = true;
      wake?.();
      await done;
    },
  };
}
