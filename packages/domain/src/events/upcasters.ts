import type { z } from 'zod';
import { campHeldV1 } from './outputEvents.js';
import { reportApprovedV1, reportSubmittedV1 } from './reportEvents.js';
import type { EventType } from './eventSchemas.js';

interface Step {
  schema: z.ZodType;
  up: (data: unknown) => unknown;
}

/**
 * For each type, the schemas of versions older than the current one and the step that lifts a payload one version.
 * A stored event is parsed with the schema of the version it was written in, then lifted step by step, and the
 * result is parsed again with the current schema: an upcaster can never produce an event the system would reject.
 */
/** What a transition recorded before reasons were kept says instead. */
const noReason = 'recorded before reasons were kept';

const steps: Partial<Record<EventType, Record<number, Step>>> = {
  ReportSubmitted: {
    1: {
      schema: reportSubmittedV1,
      up: (data) => ({ ...(data as object), reason: noReason, snapshot: null }),
    },
  },
  ReportApproved: {
    1: { schema: reportApprovedV1, up: (data) => ({ ...(data as object), reason: noReason }) },
  },
  CampHeld: {
    1: {
      schema: campHeldV1,
      up: (data) => {
        const { participants, crossBorderParticipants, ...rest } = data as z.output<typeof campHeldV1>;
        return { ...rest, participants: { total: participants, crossBorder: crossBorderParticipants } };
      },
    },
  },
};

export function currentSchemaVersion(type: EventType): number {
  const versions = Object.keys(steps[type] ?? {}).map(Number);
  return versions.length === 0 ? 1 : Math.max(...versions) + 1;
}

export function upcastStep(type: EventType, version: number): Step | undefined {
  return steps[type]?.[version];
}
