import { z } from 'zod';

/** A calendar date `YYYY-MM-DD` with no time and no zone: periods are decided on these. */
export type CalendarDate = string;

const pattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

export function parseDate(value: string): { year: number; month: number; day: number } | undefined {
  const m = pattern.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function formatDate(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A calendar date. Both checks are format checks (400 validation-failed): the pattern, which the published JSON
 * Schema carries, and the real date (no 2019-02-30), marked `format` so it is not read as a rule between fields.
 */
export const calendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a calendar date YYYY-MM-DD' })
  .refine((v) => parseDate(v) !== undefined, {
    message: 'must be a real calendar date YYYY-MM-DD',
    params: { format: 'date' },
  });

function mustParse(value: CalendarDate) {
  const p = parseDate(value);
  if (!p) throw new RangeError(`not a calendar date: ${value}`);
  return p;
}

/** Adds whole months; the day is clipped to the target month's length (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = mustParse(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatDate(y, m, Math.min(day, daysInMonth(y, m)));
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const { year, month, day } = mustParse(date);
  const t = Date.UTC(year, month - 1, day) + days * 86_400_000;
  const d = new Date(t);
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Whole days from a to b (b - a). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  const pa = mustParse(a);
  const pb = mustParse(b);
  return Math.round((Date.UTC(pb.year, pb.month - 1, pb.day) - Date.UTC(pa.year, pa.month - 1, pa.day)) / 86_400_000);
}

const epoch: CalendarDate = '1970-01-01';

/** Whole days from 1970-01-01 to `date` (negative before it): a date as a small integer, for compact stores. */
export const dayNumberOf = (date: CalendarDate): number => daysBetween(epoch, date);

const dates = new Map<number, CalendarDate>();
/** The date `n` days after 1970-01-01 (dayNumberOf's inverse), remembered: compact stores decode the same days often. */
export function dateOfDayNumber(n: number): CalendarDate {
  let date = dates.get(n);
  if (date === undefined) {
    date = addDays(epoch, n);
    if (dates.size >= 100_000) dates.clear();
    dates.set(n, date);
  }
  return date;
}

/** ISO dates compare correctly as strings; this names the intent. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
