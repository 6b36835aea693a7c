import type { EventMap } from '../events/eventSchemas.js';
import { outputKinds, type OutputKindSpec, type OutputType } from '../events/outputKinds.js';
import { textOf } from '../events/fields.js';

/**
 * Outputs that happen once under a partner-chosen id (the kind's `uniqueKey` in the output kinds table): recording
 * the same camp twice is a mistake (409), not a second camp. Inclusion measures repeat (sessions of one measure) and
 * a building may be completed in stages, so they have no key. The key is `<prefix>:<id>`.
 */
export function uniqueKeyOf(type: OutputType, data: EventMap[OutputType]): string | undefined {
  const key: { field: string; prefix: string } | undefined = (outputKinds[type] as OutputKindSpec).uniqueKey;
  return key ? `${key.prefix}:${textOf((data as Record<string, unknown>)[key.field])}` : undefined;
}

/** The dates an output carries: every one must lie inside the project's dates. */
export function datesOf(data: Record<string, unknown>): { path: string; date: string }[] {
  return ['date', 'startDate', 'endDate']
    .filter((k) => typeof data[k] === 'string')
    .map((k) => ({ path: k, date: data[k] as string }));
}
