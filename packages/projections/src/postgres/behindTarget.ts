import type pg from 'pg';
import { elapsedShare } from '@il/domain';
import { projectIndicators } from './projectIndicators.js';
import { laggingIndicators } from '../reference/referenceQueries.js';
import type { BehindTarget, BehindTargetQuery } from '../port/readModels.js';

/**
 * Projects of a programme with at least one project-level target whose achievement lags time: achieved/target is
 * below `threshold` × the share of project time elapsed by `today`.
 */
export async function projectsBehindTarget(
  pool: pg.Pool,
  programmeId: string,
  q: BehindTargetQuery,
): Promise<BehindTarget> {
  const projects = (
    await pool.query<{ project_id: string; start: string; end: string }>(
      `select project_id, to_char(start_date, 'YYYY-MM-DD') as start, to_char(end_date, 'YYYY-MM-DD') as end from il_view_projects where programme_id = $1 order by project_id`,
      [programmeId],
    )
  ).rows;
  const out = [];
  for (const p of projects) {
    const elapsed = elapsedShare(p.start, p.end, q.today);
    const lagging = laggingIndicators(
      await projectIndicators(pool, p.project_id, { today: q.today < p.end ? q.today : p.end, asOf: q.asOf }),
      q.threshold,
      elapsed,
    );
    if (lagging.length > 0) out.push({ projectId: p.project_id, elapsedShare: elapsed, indicators: lagging });
  }
  return { programmeId, threshold: q.threshold, today: q.today, projects: out };
}
