import { randomUUID } from 'node:crypto';
import {
  builtinCatalogues,
  currentSchemaVersion,
  occurredAtOf,
  socQualityPartners,
  socQualityProgramme,
  socQualityProject,
  socQualityTargets,
  projectStream as projectStreamOf,
  type DomainEvent,
} from '@il/domain';
import { comparePositions, type EventStore } from '@il/event-store';

export const projectStream = projectStreamOf(socQualityProject.projectId);

export async function append(store: EventStore, streamId: string, events: DomainEvent[]): Promise<string[]> {
  const ids = events.map(() => randomUUID());
  await store.appendToStream(
    streamId,
    events.map((e, i) => ({
      eventId: ids[i]!,
      type: e.type,
      schemaVersion: currentSchemaVersion(e.type),
      data: e.data,
      metadata: { actor: 'test', correlationId: 'c' },
      occurredAt: occurredAtOf(e, socQualityProgramme.timeZone, socQualityProject.startDate, new Date()),
    })),
    { expectedVersion: 'any' },
  );
  return ids;
}

export async function registerSocQuality(store: EventStore): Promise<void> {
  await append(store, 'programme-LV-LT', [
    {
      type: 'ProgrammeRegistered',
      data: { ...socQualityProgramme, catalogue: builtinCatalogues['interreg-2021-2027']! },
    },
  ]);
  await append(store, projectStream, [
    { type: 'ProjectRegistered', data: socQualityProject },
    ...socQualityPartners,
    ...socQualityTargets,
  ]);
}

/** The n-th generated camp: distinct ids, dates spread over the project. */
export function camp(n: number): DomainEvent {
  const day = String(1 + (n % 28)).padStart(2, '0');
  const month = String(1 + (n % 12)).padStart(2, '0');
  return {
    type: 'CampHeld',
    data: {
      partner: n % 2 ? 'PP7' : 'LP',
      campId: `camp-${n}`,
      startDate: `2019-${month}-${day}`,
      endDate: `2019-${month}-${day}`,
      location: 'Zemgale',
      country: 'LV',
      participants: { total: 10 + (n % 5), crossBorder: n % 7 },
    },
  };
}

/**
 * Waits until the projector has applied everything committed to the given streams (the SocQuality project stream
 * by default) so far. The target is read from the streams, not from headPosition alone: the head readers may see
 * lags while any older transaction is still open (a projector's own batch), and waiting for that head could return
 * before the last appends are applied.
 */
export async function waitForCheckpoint(
  store: EventStore,
  checkpoint: () => Promise<{ position: string }>,
  ms = 30_000,
  streams: readonly string[] = [projectStream],
): Promise<void> {
  let target = (await store.headPosition()).position;
  for (const stream of streams) {
    const last = (await store.readStream(stream)).at(-1)?.position ?? '0:0';
    if (comparePositions(last, target) > 0) target = last;
  }
  const deadline = Date.now() + ms;
  while (comparePositions((await checkpoint()).position, target) < 0) {
    if (Date.now() > deadline) throw new Error('projector did not catch up');
    await new Promise((r) => setTimeout(r, 20));
  }
}
