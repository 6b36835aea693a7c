import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../port/eventStore.js';

/** A valid event for contract tests; override what a test is about. */
export function newEvent(over: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'CampHeld',
    schemaVersion: 2,
    data: { partner: 'PP7', campId: `camp-${randomUUID().slice(0, 8)}`, participants: { total: 42, crossBorder: 20 } },
    metadata: { actor: 'contract-test', correlationId: randomUUID() },
    occurredAt: new Date('2019-07-12T00:00:00+03:00'),
    ...over,
  };
}
