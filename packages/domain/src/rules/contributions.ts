import { textOf } from '../events/fields.js';
import type { CalendarDate } from '../calendar/calendarDate.js';
import type { Catalogue, Rule } from '../catalogue/catalogueSchema.js';
import type { DomainEvent } from '../events/eventSchemas.js';
import { isOutputType, type OutputType } from '../events/outputSchemas.js';
import type { EventMap } from '../events/eventSchemas.js';

/** One event's part in one indicator: a number, or a key to count once. */
export interface Contribution {
  indicator: string;
  partner: string;
  /** Occurrence date in the programme's calendar: decides the period. */
  date: CalendarDate;
  value: number;
  distinctKey?: string;
}

type Contributing = { type: OutputType | 'PartnerJoined'; data: EventMap[OutputType] | EventMap['PartnerJoined'] };

/** The date an output happened: its `date`, or the last day of a multi-day activity (when it was delivered). */
export function occurrenceDate(event: Contributing, projectStart: CalendarDate): CalendarDate {
  const data = event.data as Record<string, unknown>;
  if (event.type === 'PartnerJoined') return (data['joinedOn'] as string | undefined) ?? projectStart;
  return (data['endDate'] ?? data['date']) as CalendarDate;
}

function partnerOf(event: Contributing): string {
  return event.type === 'PartnerJoined'
    ? (event.data as { partnerCode: string }).partnerCode
    : (event.data as { partner: string }).partner;
}

function read(data: unknown, path: string): unknown {
  let v: unknown = data;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function contributionOf(
  rule: Rule,
  aggregation: string,
  data: unknown,
): { value: number; distinctKey?: string } | undefined {
  if (aggregation === 'count-distinct') {
    const key = read(data, rule.distinctKey ?? '');
    return key === undefined || key === null ? undefined : { value: 1, distinctKey: textOf(key) };
  }
  if (aggregation === 'count') return { value: typeof rule.value === 'number' ? rule.value : 1 };
  if (typeof rule.value === 'number') return { value: rule.value };
  const v = read(data, rule.value ?? '');
  // An optional field that was not reported (capacity of a building) contributes nothing rather than zero.
  return typeof v === 'number' && Number.isFinite(v) ? { value: v } : undefined;
}

/** What an output or a partner's joining contributes to each indicator of the catalogue. */
export function contributionsOf(event: DomainEvent, catalogue: Catalogue, projectStart: CalendarDate): Contribution[] {
  if (event.type === 'OutputCorrected') return contributionsOf(event.data.replacement, catalogue, projectStart);
  if (!isOutputType(event.type) && event.type !== 'PartnerJoined') return [];
  const source = event as Contributing;
  const date = occurrenceDate(source, projectStart);
  const partner = partnerOf(source);
  const out: Contribution[] = [];
  for (const indicator of catalogue.indicators) {
    for (const rule of indicator.rules) {
      if (rule.event !== event.type) continue;
      const c = contributionOf(rule, indicator.aggregation, event.data);
      if (c) out.push({ indicator: indicator.code, partner, date, ...c });
    }
  }
  return out;
}
