import type { EventMap } from '../events/eventSchemas.js';
import type { OutputType } from '../events/outputSchemas.js';

/**
 * Outputs that happen once under a partner-chosen id: recording the same camp twice is a mistake (409), not a
 * second camp. Inclusion measures repeat (sessions of one measure) and a building may be completed in stages, so
 * they have no key. The key is `<type>:<id>`.
 */
export function uniqueKeyOf(type: OutputType, data: EventMap[OutputType]): string | undefined {
  const d = data as Record<string, unknown>;
  switch (type) {
    case 'CampHeld':
      return `camp:${String(d['campId'])}`;
    case 'StaffTrained':
      return `training:${String(d['trainingId'])}`;
    case 'ExchangeVisitHeld':
      return `visit:${String(d['visitId'])}`;
    case 'PublicEventHeld':
      return `public-event:${String(d['publicEventId'])}`;
    case 'InfrastructureWorksStarted':
      return `works-started:${String(d['objectId'])}`;
    default:
      return undefined;
  }
}

/** The dates an output carries: every one must lie inside the project's dates. */
export function datesOf(data: Record<string, unknown>): { path: string; date: string }[] {
  return ['date', 'startDate', 'endDate']
    .filter((k) => typeof data[k] === 'string')
    .map((k) => ({ path: k, date: data[k] as string }));
}
