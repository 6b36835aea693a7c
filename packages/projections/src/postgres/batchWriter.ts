import type pg from 'pg';
import { collectBatchChanges, type PendingContribution } from '../batchChanges.js';
import { applyChanges } from './applyChanges.js';
import type { ViewChange } from '../viewChange.js';

/** A batch's view changes (see collectBatchChanges) written with one UPDATE and one INSERT for all contributions. */
export function createBatchWriter() {
  const collector = collectBatchChanges();
  const { registry, closeStored, pending, touched } = collector.batch;
  return {
    add: (change: ViewChange) => collector.add(change),
    async flush(client: pg.ClientBase): Promise<void> {
      await applyChanges(client, registry);
      if (closeStored.size > 0) {
        await client.query(
          `update il_view_contributions c set valid_to = x.at
           from unnest($1::uuid[], $2::timestamptz[]) as x(id, at) where c.output_event_id = x.id and c.valid_to is null`,
          [[...closeStored.keys()], [...closeStored.values()]],
        );
      }
      if (pending.length > 0) {
        const col = <K extends keyof PendingContribution>(k: K) => pending.map((r) => r[k]);
        await client.query(
          `insert into il_view_contributions (project_id, partner, indicator, occurred_on, value, distinct_key, output_event_id, source_event_id, source_type, valid_from, valid_to)
           select * from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::numeric[], $6::text[], $7::uuid[], $8::uuid[], $9::text[], $10::timestamptz[], $11::timestamptz[])`,
          [
            col('projectId'),
            col('partner'),
            col('indicator'),
            col('date'),
            col('value'),
            col('distinctKey'),
            col('outputEventId'),
            col('sourceEventId'),
            col('sourceType'),
            col('validFrom'),
            col('validTo'),
          ],
        );
      }
      if (touched.size > 0) {
        await client.query(
          `with changed as (update il_view_projects set revision = revision + 1 where project_id = any($1::text[]) returning programme_id)
           update il_view_programmes set revision = revision + 1 where programme_id in (select programme_id from changed)`,
          [[...touched]],
        );
      }
    },
  };
}
