import type { StoredEvent } from '@il/event-store';

/**
 * Every message is a CloudEvent in structured mode (Kafka protocol binding, section 3.3): this content type as the
 * only header, the whole event as JSON in the value. No `ce_` headers: beside a structured event they looked like an
 * incomplete binary-mode one (`ce_type` held the short type, `ce_source` and the rest were missing).
 */
export const structuredContentType = 'application/cloudevents+json; charset=utf-8';

/** Version of the envelope below; consumers check `ilenvelopeversion` before reading extensions. */
export const envelopeVersion = 1;

/**
 * A committed event as a CloudEvents 1.0 JSON envelope (structured mode). `id` is the event id: consumers
 * deduplicate on it, because delivery is at-least-once. `time` is when the fact happened (`occurredAt`, decides
 * the reporting period); when it was recorded, its position and its stream version travel as extensions.
 */
export interface CloudEventEnvelope {
  specversion: '1.0';
  id: string;
  /** The system and programme the event belongs to. */
  source: string;
  /** `eu.interreg.indicator-ledger.<EventType>.v<schemaVersion>` */
  type: string;
  /** The stream (project or programme) the event belongs to; also the Kafka message key. */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
  ilenvelopeversion: number;
  ilrecordedat: string;
  ilposition: string;
  ilstreamversion: number;
  ilcorrelationid: string;
}

export function toEnvelope(event: StoredEvent, programmeId: string | undefined): CloudEventEnvelope {
  return {
    specversion: '1.0',
    id: event.eventId,
    source: `/indicator-ledger/programmes/${programmeId ?? 'unassigned'}`,
    type: `eu.interreg.indicator-ledger.${event.type}.v${event.schemaVersion}`,
    subject: event.streamId,
    time: event.occurredAt.toISOString(),
    datacontenttype: 'application/json',
    data: event.data,
    ilenvelopeversion: envelopeVersion,
    ilrecordedat: event.recordedAt.toISOString(),
    ilposition: event.position,
    ilstreamversion: event.streamVersion,
    // The actor is left out: it identifies a staff member, and the integration stream does not need it.
    ilcorrelationid: event.metadata.correlationId,
  };
}
