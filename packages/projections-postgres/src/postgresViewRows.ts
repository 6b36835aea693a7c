import type pg from 'pg';
import {
  type ContributionRow,
  type PartnerRow,
  type ProjectRow,
  type ReportRow,
  type ViewRowsReader,
} from '@il/projections';
import { catalogueFromText } from '@il/projections';
import { validAt } from './asOfCondition.js';
import type { EventMap } from '@il/domain';

/**
 * A ProjectRow's columns of `il_view_projects` aliased `p`; with `asOf` (a timestamptz parameter such as `$2`), the
 * end date as recorded then: the newest version by then, or the registration's for an instant before it.
 */
export const projectColumnsAt = (asOf?: string) => {
  const end = asOf
    ? `coalesce((select e.end_date from il_view_project_ends e where e.project_id = p.project_id and e.recorded_at <= ${asOf}::timestamptz
                 order by e.recorded_at desc, e.seq desc limit 1),
                (select e.end_date from il_view_project_ends e where e.project_id = p.project_id order by e.seq limit 1),
                p.end_date)`
    : 'p.end_date';
  return `p.project_id as "projectId", p.programme_id as "programmeId", p.priority, p.specific_objective as "specificObjective",
  to_char(p.start_date, 'YYYY-MM-DD') as "startDate", to_char(${end}, 'YYYY-MM-DD') as "endDate", p.reporting_period_months as "reportingPeriodMonths"`;
};
export const projectColumns = projectColumnsAt();

/** The targets as recorded at the instant in `asOf` (a parameter such as `$2`): each one's newest version by then. */
export const targetsAt = (project: string, asOf: string) =>
  `select distinct on (t.indicator, t.partner) t.indicator, t.partner, t.value
     from il_view_target_versions t where t.project_id = ${project} and t.recorded_at <= ${asOf}::timestamptz
    order by t.indicator, t.partner, t.recorded_at desc, t.seq desc`;

/**
 * Plain reads of the PostgreSQL views, through a pool or a client (the projector's, inside its transaction): the
 * registry reads of every query, and the contributions for the reference queries and the evidence.
 */
export function postgresViewRows(pool: pg.Pool | pg.ClientBase): ViewRowsReader {
  return {
    async programmes() {
      return (
        await pool.query<{ programmeId: string; name: string; timeZone: string }>(
          'select programme_id as "programmeId", name, time_zone as "timeZone" from il_view_programmes order by programme_id collate "C"',
        )
      ).rows;
    },
    async timeZone(programmeId) {
      const { rows } = await pool.query<{ time_zone: string }>(
        'select time_zone from il_view_programmes where programme_id = $1',
        [programmeId],
      );
      return rows[0]?.time_zone;
    },
    async catalogue(programmeId) {
      const row = (
        await pool.query<{ catalogue: string }>(
          'select catalogue::text as catalogue from il_view_programmes where programme_id = $1',
          [programmeId],
        )
      ).rows[0];
      return row && catalogueFromText(row.catalogue);
    },
    async project(projectId, asOf) {
      return (
        await pool.query<ProjectRow>(
          `select ${projectColumnsAt(asOf ? '$2' : undefined)} from il_view_projects p where p.project_id = $1`,
          asOf ? [projectId, asOf] : [projectId],
        )
      ).rows[0];
    },
    async projects(programmeId, asOf) {
      return (
        await pool.query<ProjectRow>(
          `select ${projectColumnsAt(asOf ? '$2' : undefined)} from il_view_projects p where p.programme_id = $1
             ${asOf ? 'and (select min(e.recorded_at) from il_view_project_ends e where e.project_id = p.project_id) <= $2::timestamptz' : ''}
           order by p.project_id`,
          asOf ? [programmeId, asOf] : [programmeId],
        )
      ).rows;
    },
    async partners(projectIds) {
      return (
        await pool.query<PartnerRow>(
          `select project_id as "projectId", partner_code as "partnerCode", country, nuts3 from il_view_partners where project_id = any($1::text[])`,
          [projectIds],
        )
      ).rows;
    },
    async targets(projectId, asOf) {
      const rows = (
        await pool.query<{ indicator: string; partner: string; value: string }>(
          asOf
            ? `select indicator, partner, value::text from (${targetsAt('$1', '$2')}) t`
            : 'select indicator, partner, value::text from il_view_targets where project_id = $1',
          asOf ? [projectId, asOf] : [projectId],
        )
      ).rows;
      return rows.map((r) => ({ indicator: r.indicator, partner: r.partner, value: Number(r.value) }));
    },
    async projectTargets(projectIds, asOf) {
      const rows = (
        await pool.query<{ projectId: string; indicator: string; partner: string; value: string }>(
          asOf
            ? `select distinct on (t.project_id, t.indicator, t.partner) t.project_id as "projectId", t.indicator, t.partner, t.value::text
                 from il_view_target_versions t where t.project_id = any($1::text[]) and t.recorded_at <= $2::timestamptz
                order by t.project_id, t.indicator, t.partner, t.recorded_at desc, t.seq desc`
            : `select project_id as "projectId", indicator, partner, value::text from il_view_targets where project_id = any($1::text[])`,
          asOf ? [projectIds, asOf] : [projectIds],
        )
      ).rows;
      return rows.map((r) => ({ ...r, value: Number(r.value) }));
    },
    async programmeTargets(programmeId, asOf) {
      const rows = (
        await pool.query<{ target: string }>(
          `select distinct on (indicator, specific_objective) target from il_view_programme_targets
            where programme_id = $1 and ($2::timestamptz is null or recorded_at <= $2::timestamptz)
            order by indicator, specific_objective, recorded_at desc, seq desc`,
          [programmeId, asOf ?? null],
        )
      ).rows;
      return rows.map((r) => JSON.parse(r.target) as EventMap['ProgrammeTargetSet']);
    },
    async reports(projectIds) {
      const rows = (
        await pool.query<Omit<ReportRow, 'snapshot'> & { snapshot: string | null }>(
          `select project_id as "projectId", event_id::text as "eventId", level, partner, period_id as "periodId", transition,
                  numbers, reason, snapshot, actor, recorded_at as "recordedAt"
           from il_view_reports where project_id = any($1::text[]) order by seq`,
          [projectIds],
        )
      ).rows;
      return rows.map((r) => ({
        ...r,
        snapshot: r.snapshot === null ? null : (JSON.parse(r.snapshot) as ReportRow['snapshot']),
      }));
    },
    async contributions(f) {
      const rows = (
        await pool.query<Omit<ContributionRow, 'value'> & { value: string }>(
          `select c.project_id as "projectId", c.partner, c.indicator, to_char(c.occurred_on, 'YYYY-MM-DD') as date, c.value::text as value, c.distinct_key as "distinctKey",
                c.output_event_id::text as "outputEventId", c.source_event_id::text as "sourceEventId", c.source_type as "sourceType", c.valid_from as "validFrom", c.valid_to as "validTo"
         from il_view_contributions c join il_view_projects p on p.project_id = c.project_id
         where ($1::text is null or p.programme_id = $1) and ($2::text is null or c.project_id = $2) and ($3::text is null or c.indicator = $3)
           and ($4::date is null or c.occurred_on <= $4) and ${validAt('$5', f.asOf)}
         order by c.id`,
          [f.programmeId ?? null, f.projectId ?? null, f.indicator ?? null, f.to ?? null, f.asOf ?? null],
        )
      ).rows;
      return rows.map((r) => ({ ...r, value: Number(r.value) }));
    },
  };
}
