import type pg from 'pg';
import type { ViewChange } from '../viewChange.js';

/** Applies view changes inside the caller's transaction. */
export async function applyChanges(client: pg.ClientBase, changes: readonly ViewChange[]): Promise<void> {
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
          [p.projectId, p.programmeId, p.acronym, p.priority, p.specificObjective, p.startDate, p.endDate, p.reportingPeriodMonths],
        );
        break;
      }
      case 'project-end':
        await client.query('update il_view_projects set end_date = $2 where project_id = $1', [c.projectId, c.endDate]);
        break;
      case 'partner':
        await client.query(
          'insert into il_view_partners values ($1, $2, $3, $4, $5, $6) on conflict do nothing',
          [c.projectId, c.partner.partnerCode, c.partner.name, c.partner.country, c.partner.nuts3, c.partner.role],
        );
        break;
      case 'target':
        await client.query(
          `insert into il_view_targets values ($1, $2, $3, $4, $5)
           on conflict (project_id, indicator, partner) do update set value = excluded.value, recorded_at = excluded.recorded_at`,
          [c.projectId, c.indicator, c.partner, c.value, c.at],
        );
        break;
      case 'close':
        await client.query('update il_view_contributions set valid_to = $2 where output_event_id = $1 and valid_to is null', [c.outputEventId, c.at]);
        break;
      case 'contribute':
        await client.query(
          `insert into il_view_contributions (project_id, partner, indicator, occurred_on, value, distinct_key, output_event_id, source_event_id, source_type, valid_from)
           select $1, x.partner, x.indicator, x.occurred_on, x.value, x.distinct_key, $2, $3, $10, $4
           from unnest($5::text[], $6::text[], $7::date[], $8::numeric[], $9::text[]) as x(partner, indicator, occurred_on, value, distinct_key)`,
          [
            c.projectId, c.outputEventId, c.sourceEventId, c.at,
            c.contributions.map((x) => x.partner), c.contributions.map((x) => x.indicator), c.contributions.map((x) => x.date),
            c.contributions.map((x) => x.value), c.contributions.map((x) => x.distinctKey ?? null), c.sourceType,
          ],
        );
        break;
    }
  }
}
