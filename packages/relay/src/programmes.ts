import { programmeIdOfStream, projectIdOfStream } from '@il/domain';
import type { EventStore, StoredEvent } from '@il/event-store';

/**
 * Which programme a stream belongs to: `programme-<id>` streams by name, `project-<id>` streams by the
 * ProjectRegistered event that opens them (learnt as events pass, or read once from the store after a restart).
 */
export function createProgrammeResolver(store: Pick<EventStore, 'readStream'>) {
  const projects = new Map<string, string | undefined>();
  return {
    learn(e: StoredEvent): void {
      if (e.type === 'ProjectRegistered' && typeof e.data['programmeId'] === 'string')
        projects.set(e.streamId, e.data['programmeId']);
    },
    async programmeOf(streamId: string): Promise<string | undefined> {
      const own = programmeIdOfStream(streamId);
      if (own !== undefined) return own;
      if (projectIdOfStream(streamId) === undefined) return undefined;
      if (!projects.has(streamId)) {
        const [first] = await store.readStream(streamId, { to: 1 });
        const programmeId = first?.type === 'ProjectRegistered' ? first.data['programmeId'] : undefined;
        projects.set(streamId, typeof programmeId === 'string' ? programmeId : undefined);
      }
      return projects.get(streamId);
    },
  };
}
