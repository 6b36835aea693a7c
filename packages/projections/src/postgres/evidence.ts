import type pg from 'pg';
import { NotFoundError, reportingPeriods } from '@il/domain';
import { validAt } from './asOfCondition.js';
import type { EvidenceQuery, IndicatorEvidence } from '../port/readModels.js';
import { evidenceOf } from '../reference/referenceQueries.js';

/** The events behind one indicator number of a project: each contribution valid at `asOf` inside the period. */
export async function indicatorEvidence(
  pool: pg.Pool,
  projectId: string,
  code: string,
  q: EvidenceQuery,
): Promise<IndicatorEvidence> {
  const p = (
    await pool.query<{ start: string; end: string; months: number }>(
      `select to_char(start_date, 'YYYY-MM-DD') as start, to_char(end_date, 'YYYY-MM-DD') as end, reporting_period_months as months from il_view_projects where project_id = $1`,
      [projectId],
    )
  ).rows[0];
  if (!p) throw new NotFoundError(`project ${projectId} not found (or not projected yet)`);
  const period = q.periodId
    ? reportingPeriods(p.start, p.end, p.months).find((x) => x.id === q.periodId)
    : { id: 'all', start: p.start, end: p.end };
  if (!period) throw new NotFoundError(`project ${projectId} has no period ${q.periodId}`);
  const rows = (
    await pool.query<{
      output_event_id: string;
      source_event_id: string;
      source_type: string;
      partner: string;
      date: string;
      value: string;
      distinct_key: string | null;
      valid_from: Date;
    }>(
      `select c.output_event_id::text, c.source_event_id::text, c.source_type, c.partner, to_char(c.occurred_on, 'YYYY-MM-DD') as date, c.value::text, c.distinct_key, c.valid_from
     from il_view_contributions c
     where c.project_id = $1 and c.indicator = $2 and c.occurred_on between $3 and $4 and ${validAt('$5')}
     order by c.occurred_on, c.id`,
      [projectId, code, period.start, period.end, q.asOf ?? null],
    )
  ).rows;
  return {
    projectId,
    indicator: code,
    period,
    asOf: q.asOf?.toISOString() ?? null,
    events: rows.map((r) =>
      evidenceOf({
        projectId,
        indicator: code,
        partner: r.partner,
        date: r.date,
        value: Number(r.value),
        distinctKey: r.distinct_key,
        outputEventId: r.output_event_id,
        sourceEventId: r.source_event_id,
        sourceType: r.source_type,
        validFrom: r.valid_from,
        validTo: null,
      }),
    ),
  };
}
