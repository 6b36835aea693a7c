import type { Catalogue } from '@il/domain';
import type { StoredEvent } from '@il/event-store';
import { rulesOf, type AggregationOf } from './figures/cells.js';
import { projectEvent, projectIdOfStream } from './projectEvent.js';
import type { ProjectContext, ViewChange } from './viewChange.js';

/**
 * One batch through the pure fold, as every database engine runs it: each event's view changes, in order, with the
 * project contexts remembered as registrations go by (also within the batch). Returns the rule of each indicator of
 * the batch's projects, as the fold saw their catalogues, for the cell fold.
 */
export async function foldBatch<C>(
  events: readonly StoredEvent[],
  contexts: {
    /** The context for this event of the project (a rebuild's bulk load decides by the event's position). */
    contextOf(client: C, projectId: string, event: StoredEvent): Promise<ProjectContext | undefined>;
    remember(change: ViewChange): void;
  },
  client: C,
  add: (change: ViewChange) => void,
): Promise<AggregationOf> {
  const catalogueOf = new Map<string, Catalogue>();
  for (const e of events) {
    const projectId = projectIdOfStream(e.streamId);
    const context = projectId ? await contexts.contextOf(client, projectId, e) : undefined;
    if (projectId && context) catalogueOf.set(projectId, context.catalogue);
    for (const change of projectEvent(e, context)) {
      contexts.remember(change);
      add(change);
    }
  }
  return (projectId, indicator) => {
    const catalogue = catalogueOf.get(projectId);
    return catalogue && rulesOf(catalogue).get(indicator);
  };
}
