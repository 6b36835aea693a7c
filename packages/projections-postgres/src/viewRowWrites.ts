import type pg from 'pg';
import type { CellVersion, PendingContribution } from '@il/projections';

/** The columns of cell keys, one array each, for unnest. */
export const cellArrays = (
  cells: readonly { projectId: string; indicator: string; partner: string; day: string }[],
) => [
  cells.map((c) => c.projectId),
  cells.map((c) => c.indicator),
  cells.map((c) => c.partner),
  cells.map((c) => c.day),
];

/**
 * A PostgreSQL array literal of texts (null for null), passed as one text parameter: node-postgres escapes every
 * element of an array parameter, which was a tenth of a rebuild's CPU; the texts here rarely need it.
 */
function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    out += v === null || v === undefined ? 'NULL' : `"${/["\\]/.test(v) ? v.replace(/["\\]/g, '\\$&') : v}"`;
  }
  return `${out}}`;
}

/**
 * Instants as ISO texts (node-postgres formats a Date in local time with its offset, slowly); rows of one append
 * share their instant, so the last one's text is reused.
 */
function instants(values: readonly (Date | null)[]): string {
  let lastMs = NaN;
  let last = '';
  return textArray(
    values.map((d) => {
      if (d === null) return null;
      const ms = d.getTime();
      if (ms !== lastMs) [lastMs, last] = [ms, d.toISOString()];
      return last;
    }),
  );
}

const numbers = (values: readonly number[]): string => `{${values.join(',')}}`;

/** Contribution rows in one statement, in the given order (their ids, the recorded order, follow it). */
export async function insertContributions(client: pg.ClientBase, rows: readonly PendingContribution[]): Promise<void> {
  if (rows.length === 0) return;
  const text = (
    k:
      'projectId' | 'partner' | 'indicator' | 'date' | 'distinctKey' | 'outputEventId' | 'sourceEventId' | 'sourceType',
  ) => textArray(rows.map((r) => r[k]));
  await client.query(
    `insert into il_view_contributions (project_id, partner, indicator, occurred_on, value, distinct_key, output_event_id, source_event_id, source_type, valid_from, valid_to)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::numeric[], $6::text[], $7::uuid[], $8::uuid[], $9::text[], $10::timestamptz[], $11::timestamptz[])`,
    [
      text('projectId'),
      text('partner'),
      text('indicator'),
      text('date'),
      numbers(rows.map((r) => r.value)),
      text('distinctKey'),
      text('outputEventId'),
      text('sourceEventId'),
      text('sourceType'),
      instants(rows.map((r) => r.validFrom)),
      instants(rows.map((r) => r.validTo)),
    ],
  );
}

/** Cell versions in one statement. */
export async function insertCells(client: pg.ClientBase, cells: readonly CellVersion[]): Promise<void> {
  if (cells.length === 0) return;
  await client.query(
    `insert into il_view_cells (project_id, indicator, partner, day, value, contributions, valid_from, valid_to)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::numeric[], $6::int[], $7::timestamptz[], $8::timestamptz[])`,
    [
      ...cellArrays(cells).map(textArray),
      numbers(cells.map((c) => c.value)),
      numbers(cells.map((c) => c.contributions)),
      instants(cells.map((c) => c.validFrom)),
      instants(cells.map((c) => c.validTo)),
    ],
  );
}
