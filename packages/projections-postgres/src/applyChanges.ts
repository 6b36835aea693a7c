import type pg from 'pg';
import { type RegistryChange } from '@il/projections';

/** Applies registry view changes (programmes, projects, partners, targets, reports) inside the caller's transaction, in order. */
export async function applyChanges(client: pg.ClientBase, changes: readonly RegistryChange[]): Promise<void> {
  for (const c of changes) {
    switch (c.kind) {
      case 'programme':
        await client.query(
          `insert into il_view_programmes (programme_id, name, time_zone, catalogue) values ($1, $2, $3, $4)
           on conflict (programme_id) do update set name = excluded.name, time_zone = excluded.time_zone, catalogue = excluded.catalogue`,
          [c.programme.programmeId, c.programme.name, c.programme.timeZone, JSON.stringify(c.programme.catalogue)],
        );
        break;
      case 'project': {
        const p = c.project;
        await client.query(
          `insert into il_view_projects values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (project_id) do nothing`,
          [
            p.projectId,
            p.programmeId,
            p.acronym,
            p.priority,
            p.specificObjective,
            p.startDate,
            p.endDate,
            p.reportingPeriodMonths,
          ],
        );
        // The contract's first version, unless the project was registered before (registrations are kept once).
        await client.query(
          `insert into il_view_project_ends (project_id, end_date, recorded_at)
           select $1, $2, $3 where not exists (select 1 from il_view_project_ends where project_id = $1)`,
          [p.projectId, p.endDate, c.at],
        );
        break;
      }
      case 'project-end':
        await client.query('update il_view_projects set end_date = $2 where project_id = $1', [c.projectId, c.endDate]);
        await client.query('insert into il_view_project_ends (project_id, end_date, recorded_at) values ($1, $2, $3)', [
          c.projectId,
          c.endDate,
          c.at,
        ]);
        break;
      case 'partner':
        await client.query('insert into il_view_partners values ($1, $2, $3, $4, $5, $6) on conflict do nothing', [
          c.projectId,
          c.partner.partnerCode,
          c.partner.name,
          c.partner.country,
          c.partner.nuts3,
          c.partner.role,
        ]);
        break;
      case 'target':
        await client.query(
          `insert into il_view_targets values ($1, $2, $3, $4, $5)
           on conflict (project_id, indicator, partner) do update set value = excluded.value, recorded_at = excluded.recorded_at`,
          [c.projectId, c.indicator, c.partner, c.value, c.at],
        );
        await client.query(
          'insert into il_view_target_versions (project_id, indicator, partner, value, recorded_at) values ($1, $2, $3, $4, $5)',
          [c.projectId, c.indicator, c.partner, c.value, c.at],
        );
        break;
      case 'programme-target':
        await client.query(
          `insert into il_view_programme_targets (programme_id, indicator, specific_objective, target, recorded_at)
           values ($1, $2, $3, $4, $5)`,
          [c.programmeId, c.target.indicator, c.target.specificObjective, JSON.stringify(c.target), c.at],
        );
        break;
      case 'report': {
        const r = c.report;
        // The snapshot as the text it was stated in (jsonb would reorder its keys).
        await client.query(
          `insert into il_view_reports (event_id, project_id, level, partner, period_id, transition, numbers, reason, snapshot, actor, recorded_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict (event_id) do nothing`,
          [
            r.eventId,
            r.projectId,
            r.level,
            r.partner,
            r.periodId,
            r.transition,
            r.numbers,
            r.reason,
            r.snapshot === null ? null : JSON.stringify(r.snapshot),
            r.actor,
            r.recordedAt,
          ],
        );
        break;
      }
    }
  }
}
