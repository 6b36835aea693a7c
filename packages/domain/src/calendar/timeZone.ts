import { addDays, formatDate, type CalendarDate } from './calendarDate.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function partsOf(instant: Date, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out;
}

/** The calendar date an instant falls on in a time zone: 2019-08-31T22:30:00Z is 2019-09-01 in Riga. */
export function localDateOf(instant: Date | string, timeZone: string): CalendarDate {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(d.getTime())) throw new RangeError(`not an instant: ${String(instant)}`);
  // Every write asks for "today": the day the last answer fell on is remembered as the span of instants it covers,
  // so a later instant on the same local day is answered without Intl (exact across DST: the span comes from
  // startOfDay of that day and of the next).
  const t = d.getTime();
  const day = lastDays.get(timeZone);
  if (day && t >= day.from && t < day.to) return day.date;
  const p = partsOf(d, timeZone);
  const date = formatDate(p.year ?? 0, p.month ?? 0, p.day ?? 0);
  const from = startOfDay(date, timeZone).getTime();
  const to = startOfDay(addDays(date, 1), timeZone).getTime();
  if (t >= from && t < to) lastDays.set(timeZone, { from, to, date });
  return date;
}

const lastDays = new Map<string, { from: number; to: number; date: CalendarDate }>();

/**
 * The instant a calendar date starts in a time zone. Used as `occurredAt` for outputs reported by date, so that
 * `localDateOf(startOfDay(d, tz), tz) === d` holds across DST changes.
 */
export function startOfDay(date: CalendarDate, timeZone: string): Date {
  // Every output recorded by date asks this; a programme's outputs fall on a few thousand dates, and the Intl
  // calls below were a noticeable share of a write's CPU time.
  const key = `${timeZone} ${date}`;
  const known = startsOfDays.get(key);
  if (known !== undefined) return new Date(known);
  const start = computeStartOfDay(date, timeZone);
  if (startsOfDays.size >= 50_000) startsOfDays.clear();
  startsOfDays.set(key, start.getTime());
  return start;
}

const startsOfDays = new Map<string, number>();

function computeStartOfDay(date: CalendarDate, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // Two passes settle the zone offset even on DST transition days.
  let t = guess;
  for (let i = 0; i < 2; i++) {
    const p = partsOf(new Date(t), timeZone);
    const asUtc = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
    t = guess - (asUtc - t);
  }
  return new Date(t);
}
