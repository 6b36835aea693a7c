import type pg from 'pg';
import type { RegistryChange, ViewChange } from '../viewChange.js';
import { applyChanges } from './applyChanges.js';

interface PendingRow {
  projectId: string;
  partner: string;
  indicator: string;
  date: string;
  value: number;
  distinctKey: string | null;
  outputEventId: string;
  sourceEventId: string;
  sourceType: string;
  validFrom: Date;
  validTo: Date | null;
}

/**
 * Collects a batch's view changes and writes contributions with two statements instead of one per event.
 * Order is kept where it matters: a close ends rows already stored (first close wins, later ones found them closed)
 * and rows still pending in this batch, in memory, so a correction inside the same batch never leaves two open.
 */
export function createBatchWriter() {
  const pending: PendingRow[] = [];
  const closeStored = new Map<string, Date>();
  const registry: RegistryChange[] = [];

  return {
    add(change: ViewChange): void {
      switch (change.kind) {
        case 'close':
          if (!closeStored.has(change.outputEventId)) closeStored.set(change.outputEventId, change.at);
          for (const row of pending) if (row.outputEventId === change.outputEventId && row.validTo === null) row.validTo = change.at;
          return;
        case 'contribute':
          for (const c of change.contributions) {
            pending.push({
              projectId: change.projectId, partner: c.partner, indicator: c.indicator, date: c.date, value: c.value, distinctKey: c.distinctKey ?? null,
              outputEventId: change.outputEventId, sourceEventId: change.sourceEventId, sourceType: change.sourceType, validFrom: change.at, validTo: null,
            });
          }
          return;
        default:
          registry.push(change);
      }
    },
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
        const col = <K extends keyof PendingRow>(k: K) => pending.map((r) => r[k]);
        await client.query(
          `insert into il_view_contributions (project_id, partner, indicator, occurred_on, value, distinct_key, output_event_id, source_event_id, source_type, valid_from, valid_to)
           select * from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::numeric[], $6::text[], $7::uuid[], $8::uuid[], $9::text[], $10::timestamptz[], $11::timestamptz[])`,
          [col('projectId'), col('partner'), col('indicator'), col('date'), col('value'), col('distinctKey'), col('outputEventId'), col('sourceEventId'), col('sourceType'), col('validFrom'), col('validTo')],
        );
      }
    },
  };
}
