import { addDays, addMonths, compareDates, daysBetween, parseDate, type CalendarDate } from './calendarDate.js';

export interface Period {
  id: string;
  start: CalendarDate;
  end: CalendarDate;
}

export type Granularity = 'reporting' | 'month' | 'quarter' | 'half-year' | 'year';

/**
 * Consecutive windows of `months` from the project start; the last one is clipped at the end date.
 * Ids are `P1`, `P2`, … and stay stable when an amendment extends the project (only new periods are added,
 * the former last period grows to full length).
 */
export function reportingPeriods(start: CalendarDate, end: CalendarDate, months: number): Period[] {
  if (!Number.isInteger(months) || months < 1)
    throw new RangeError('reporting period length must be a positive whole number of months');
  if (compareDates(end, start) < 0) throw new RangeError('end date is before start date');
  const periods: Period[] = [];
  for (let i = 0; ; i++) {
    const pStart = addMonths(start, i * months);
    if (compareDates(pStart, end) > 0) break;
    const nextStart = addMonths(start, (i + 1) * months);
    const pEnd = addDays(nextStart, -1);
    periods.push({ id: `P${i + 1}`, start: pStart, end: compareDates(pEnd, end) > 0 ? end : pEnd });
  }
  return periods;
}

export function periodContaining(periods: readonly Period[], date: CalendarDate): Period | undefined {
  return periods.find((p) => compareDates(p.start, date) <= 0 && compareDates(date, p.end) <= 0);
}

/** Calendar period id of a date: `2019-09`, `2019-Q3`, `2019-H2`, `2019`. */
export function calendarPeriodId(date: CalendarDate, granularity: Exclude<Granularity, 'reporting'>): string {
  const p = parseDate(date);
  if (!p) throw new RangeError(`not a calendar date: ${date}`);
  switch (granularity) {
    case 'month':
      return date.slice(0, 7);
    case 'quarter':
      return `${p.year}-Q${Math.ceil(p.month / 3)}`;
    case 'half-year':
      return `${p.year}-H${p.month <= 6 ? 1 : 2}`;
    case 'year':
      return String(p.year);
  }
}

const calendarIdPattern = /^(\d{4})(?:-(?:(\d{2})|Q([1-4])|H([12])))?$/;

/** Bounds of a calendar period id; undefined for an id that is not one. */
export function calendarPeriodBounds(id: string): Period | undefined {
  const m = calendarIdPattern.exec(id);
  if (!m) return undefined;
  let firstMonth = 1;
  let months = 12;
  if (m[2]) {
    firstMonth = Number(m[2]);
    months = 1;
    if (firstMonth < 1 || firstMonth > 12) return undefined;
  } else if (m[3]) {
    firstMonth = (Number(m[3]) - 1) * 3 + 1;
    months = 3;
  } else if (m[4]) {
    firstMonth = m[4] === '1' ? 1 : 7;
    months = 6;
  }
  const start = `${m[1]}-${String(firstMonth).padStart(2, '0')}-01`;
  return { id, start, end: addDays(addMonths(start, months), -1) };
}

/** Share of the project's duration elapsed on `today` (0…1), counting both end days inclusively. */
export function elapsedShare(start: CalendarDate, end: CalendarDate, today: CalendarDate): number {
  const total = daysBetween(start, end) + 1;
  const done = daysBetween(start, today) + 1;
  return Math.min(1, Math.max(0, done / total));
}
