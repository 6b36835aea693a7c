import { localDateOf } from '../calendar/timeZone.js';
import type { EventMap } from '../events/eventSchemas.js';
import { isInstant } from '../events/fields.js';
import { outputKinds, type OutputKindSpec, type OutputType } from '../events/outputKinds.js';
import { validateEvent } from '../events/parseEvent.js';

/**
 * An output's moments (the kind's `moments` fields) given as instants with an offset, turned into the calendar date
 * they fall on in the programme's time zone: a public event at 2019-11-30T22:30:00Z happened on 1 December in
 * Riga, and that date decides its reporting period. Validated again, so rules between dates see the dates stored.
 * Data without instants is returned as it is.
 */
export function datedIn<T extends OutputType>(type: T, data: EventMap[T], timeZone: string): EventMap[T] {
  const moments = (outputKinds[type] as OutputKindSpec).moments ?? [];
  const record = data as Record<string, unknown>;
  const instants = moments.filter((f) => typeof record[f] === 'string' && isInstant(record[f]));
  if (instants.length === 0) return data;
  const dated = { ...record };
  for (const f of instants) dated[f] = localDateOf(record[f] as string, timeZone);
  return validateEvent(type, dated).data as EventMap[T];
}
