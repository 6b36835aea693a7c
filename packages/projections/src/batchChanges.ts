import type { ContributionRow } from './reference/viewRows.js';
import type { CellContribution } from './figures/cells.js';
import type { CellStep } from './figures/maintainCells.js';
import type { RegistryChange, ViewChange } from './viewChange.js';

/** A contribution row to be inserted by a batch (validTo set when a later event of the same batch closed it). */
export type PendingContribution = ContributionRow;

/**
 * Pending contributions come after every stored one in recorded order; within the batch, in the order they are
 * added. (Stored ones are ordered by their row ids, which are far below this.)
 */
export const pendingOrderBase = 2 ** 52;

export interface BatchChanges {
  /** Programme, project, partner and target changes, in order. */
  registry: RegistryChange[];
  /** Outputs whose stored (earlier batches') open contributions end at the given instant; the first close wins. */
  closeStored: Map<string, Date>;
  /** New contribution rows, in recorded order. */
  pending: PendingContribution[];
  /** The cell fold's steps, one per event that closes or adds contributions, in recorded order. */
  steps: (CellStep & { adds: CellContribution[]; closes: string[]; sourceEventId: string })[];
  /** Projects whose figures this batch changes. */
  touched: Set<string>;
}

/**
 * Collects a batch's view changes so an adapter can write them with a few bulk statements instead of one per event.
 * Order is kept where it matters: a close ends rows already stored and rows still pending in this batch, in memory,
 * so a correction inside the same batch never leaves two open. Shared by every read-model adapter.
 */
export function collectBatchChanges() {
  const batch: BatchChanges = { registry: [], closeStored: new Map(), pending: [], steps: [], touched: new Set() };
  const stepOf = (sourceEventId: string, at: Date) => {
    const last = batch.steps.at(-1);
    if (last?.sourceEventId === sourceEventId) return last;
    const step = { sourceEventId, at, closes: [] as string[], adds: [] as CellContribution[] };
    batch.steps.push(step);
    return step;
  };
  return {
    batch,
    add(change: ViewChange): void {
      if (change.kind !== 'programme' && change.kind !== 'programme-target')
        batch.touched.add(change.kind === 'project' ? change.project.projectId : change.projectId);
      switch (change.kind) {
        case 'close':
          if (!batch.closeStored.has(change.outputEventId)) batch.closeStored.set(change.outputEventId, change.at);
          for (const row of batch.pending)
            if (row.outputEventId === change.outputEventId && row.validTo === null) row.validTo = change.at;
          stepOf(change.sourceEventId, change.at).closes.push(change.outputEventId);
          return;
        case 'contribute': {
          const step = stepOf(change.sourceEventId, change.at);
          for (const c of change.contributions) {
            step.adds.push({
              projectId: change.projectId,
              indicator: c.indicator,
              partner: c.partner,
              date: c.date,
              value: c.value,
              distinctKey: c.distinctKey ?? null,
              outputEventId: change.outputEventId,
              order: pendingOrderBase + batch.pending.length,
            });
            batch.pending.push({
              projectId: change.projectId,
              partner: c.partner,
              indicator: c.indicator,
              date: c.date,
              value: c.value,
              distinctKey: c.distinctKey ?? null,
              outputEventId: change.outputEventId,
              sourceEventId: change.sourceEventId,
              sourceType: change.sourceType,
              validFrom: change.at,
              validTo: null,
            });
          }
          return;
        }
        default:
          batch.registry.push(change);
      }
    },
  };
}
