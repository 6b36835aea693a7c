// CSV of the programme aggregation: text cells quoted where CSV needs it, and spreadsheet formulas defused.
import { textOf } from '@il/domain';

export function toCsv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : textOf(v);
    // Quote what CSV needs quoted, and defuse spreadsheet formulas in text cells.
    const safe = /^[=+\-@]/.test(s) && Number.isNaN(Number(s)) ? `'${s}` : s;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
