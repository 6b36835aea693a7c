import type { CalendarDate } from '../calendar/calendarDate.js';
import type { Catalogue } from '../catalogue/catalogueSchema.js';
import type { DomainEvent } from '../events/eventSchemas.js';
import { contributionsOf, type Contribution } from './contributions.js';

/**
 * How one event changes the live contributions. Contributions are grouped under the output event they belong to:
 * a new output adds a group, a correction replaces the group of the event it corrects, a retraction empties it.
 * The superseded group is kept by whoever stores history (as-of queries); this only says what is live now.
 */
export interface LedgerChange {
  outputEventId: string;
  contributions: Contribution[];
  replaces: boolean;
}

export function ledgerChangeOf(
  eventId: string,
  event: DomainEvent,
  catalogue: Catalogue,
  projectStart: CalendarDate,
): LedgerChange | undefined {
  // Ids in one case: a correction may name its output in capitals, and the folds match ids as text (within a batch,
  // and a rebuild's whole stream), where PostgreSQL compares them as uuids.
  switch (event.type) {
    case 'OutputCorrected':
      return {
        outputEventId: event.data.correctsEventId.toLowerCase(),
        contributions: contributionsOf(event, catalogue, projectStart),
        replaces: true,
      };
    case 'OutputRetracted':
      return { outputEventId: event.data.retractsEventId.toLowerCase(), contributions: [], replaces: true };
    default: {
      const contributions = contributionsOf(event, catalogue, projectStart);
      return contributions.length > 0
        ? { outputEventId: eventId.toLowerCase(), contributions, replaces: false }
        : undefined;
    }
  }
}

/** Live contributions by output event id. */
export type Ledger = ReadonlyMap<string, readonly Contribution[]>;

export function applyLedgerChange(ledger: Ledger, change: LedgerChange | undefined): Ledger {
  if (!change) return ledger;
  const next = new Map(ledger);
  next.set(change.outputEventId, change.contributions);
  return next;
}

/**
 * The live ledger of a project stream: every event's change applied in order, in place (one map for the whole
 * stream; applyLedgerChange copies, which would make a long stream quadratic). An output keeps its place in the
 * map when corrected, as applyLedgerChange keeps it.
 */
export function ledgerOf(
  events: Iterable<{ event: DomainEvent; eventId: string }>,
  catalogue: Catalogue,
  projectStart: CalendarDate,
): Ledger {
  const ledger = new Map<string, readonly Contribution[]>();
  for (const { event, eventId } of events) {
    const change = ledgerChangeOf(eventId, event, catalogue, projectStart);
    if (change) ledger.set(change.outputEventId, change.contributions);
  }
  return ledger;
}
