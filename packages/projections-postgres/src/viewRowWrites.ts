import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
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

const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text field of COPY's text format (\N for null). */
function field(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => escapes[c]!) : v;
}

/**
 * Instants as ISO texts; rows of one append share their instant, so the last one's text is reused (formatting a
 * Date was a visible part of a rebuild's profile).
 */
function instantText() {
  let lastMs = NaN;
  let last = '';
  return (d: Date | null): string => {
    if (d === null) return '\\N';
    const ms = d.getTime();
    if (ms !== lastMs) [lastMs, last] = [ms, d.toISOString()];
    return last;
  };
}

/**
 * Rows into a table with COPY, in the given order: cheaper for PostgreSQL than parsing array parameters, and for
 * the process than node-postgres escaping every element of them (both were large parts of a rebuild's profile).
 */
async function copyRows<R>(
  client: pg.ClientBase,
  table: string,
  columns: string,
  rows: readonly R[],
  line: (row: R) => string,
): Promise<void> {
  if (rows.length === 0) return;
  function* chunks() {
    for (let i = 0; i < rows.length; i += 500) {
      let text = '';
      for (const r of rows.slice(i, i + 500)) text += `${line(r)}\n`;
      yield text;
    }
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy ${table} (${columns}) from stdin`)));
}

/** Contribution rows, in the given order (their ids, the recorded order, follow it). */
export async function insertContributions(client: pg.ClientBase, rows: readonly PendingContribution[]): Promise<void> {
  const instant = instantText();
  await copyRows(
    client,
    'il_view_contributions',
    'project_id, partner, indicator, occurred_on, value, distinct_key, output_event_id, source_event_id, source_type, valid_from, valid_to',
    rows,
    (r) =>
      `${field(r.projectId)}\t${field(r.partner)}\t${field(r.indicator)}\t${r.date}\t${r.value}\t${field(r.distinctKey)}\t${r.outputEventId}\t${r.sourceEventId}\t${field(r.sourceType)}\t${instant(r.validFrom)}\t${instant(r.validTo)}`,
  );
}

/** Cell versions. */
export async function insertCells(client: pg.ClientBase, cells: readonly CellVersion[]): Promise<void> {
  const instant = instantText();
  await copyRows(
    client,
    'il_view_cells',
    'project_id, indicator, partner, day, value, contributions, valid_from, valid_to',
    cells,
    (c) =>
      `${field(c.projectId)}\t${field(c.indicator)}\t${field(c.partner)}\t${c.day}\t${c.value}\t${c.contributions}\t${instant(c.validFrom)}\t${instant(c.validTo)}`,
  );
}
