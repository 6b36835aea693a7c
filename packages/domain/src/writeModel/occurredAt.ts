import { startOfDay } from '../calendar/timeZone.js';
import type { DomainEvent } from '../events/eventSchemas.js';
import { isOutputType } from '../events/outputSchemas.js';
import { occurrenceDate } from '../rules/contributions.js';

/**
 * The instant an event happened. Outputs happened on their (last) date, stored as the start of that day in the
 * programme's time zone so that the period read back in that zone is the date the partner reported. Everything
 * else (registrations, reports) happened when it was recorded.
 */
export function occurredAtOf(event: DomainEvent, timeZone: string, projectStart: string, now: Date): Date {
  if (event.type === 'OutputCorrected') return occurredAtOf(event.data.replacement, timeZone, projectStart, now);
  if (isOutputType(event.type) || (event.type === 'PartnerJoined' && event.data.joinedOn)) {
    return startOfDay(occurrenceDate(event as Parameters<typeof occurrenceDate>[0], projectStart), timeZone);
  }
  return now;
}
