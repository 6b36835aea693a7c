import {
  cellKeyText,
  distinctKeyText,
  type AggregationOf,
  type Cell,
  type CellContribution,
  type CellKey,
} from './cells.js';
import { touchedBy, type CellWorkingSet } from './maintainCells.js';

/** A distinct key of one indicator of one project. */
export interface DistinctKeyRef {
  projectId: string;
  indicator: string;
  distinctKey: string;
}

/**
 * A key's stored occurrences the fold needs: its first `first` by date, then recorded order. Its first occurrence
 * after the batch is among them or among the batch's own, as long as the batch closes fewer than `first` of them:
 * reading all of a key's occurrences (a measure delivered hundreds of times) made every batch slower than the last.
 */
export interface KeyOccurrences extends DistinctKeyRef {
  first: number;
}

/** The three reads of stored live rows an engine provides for the working set, each by key. */
export interface WorkingSetReads {
  /** The live contributions of these outputs. */
  contributionsOfOutputs(outputEventIds: readonly string[]): Promise<CellContribution[]>;
  /** The live contributions of these cells, and of each key its first occurrences (see KeyOccurrences). */
  contributionsAround(cells: readonly CellKey[], keys: readonly KeyOccurrences[]): Promise<CellContribution[]>;
  /** The live cells with these keys. */
  cells(keys: readonly CellKey[]): Promise<Cell[]>;
}

/**
 * What the cell fold needs around a batch (see CellWorkingSet), read the same way by every engine: the live
 * contributions of the outputs it closes, of the distinct keys it touches and of the max or latest cells that lose
 * one, then the live cells of all of those. `removed` are the batch's own contributions a later event of it closes.
 */
export async function loadWorkingSet(
  reads: WorkingSetReads,
  batch: { closed: readonly string[]; adds: readonly CellContribution[]; removed: readonly CellContribution[] },
  aggregationOf: AggregationOf,
): Promise<CellWorkingSet> {
  const closedRows = batch.closed.length === 0 ? [] : await reads.contributionsOfOutputs(batch.closed);
  const touched = touchedBy([...closedRows, ...batch.adds], aggregationOf);
  const losing = touchedBy([...closedRows, ...batch.removed], aggregationOf).cells.filter((c) => {
    const a = aggregationOf(c.projectId, c.indicator);
    return a === 'max' || a === 'latest';
  });
  // Per key, one more occurrence than the batch closes of it: enough to find its first one afterwards.
  const closing = new Map<string, number>();
  for (const r of closedRows)
    if (r.distinctKey !== null) closing.set(distinctKeyText(r), (closing.get(distinctKeyText(r)) ?? 0) + 1);
  const keys = touched.keys.map((k) => ({ ...k, first: (closing.get(distinctKeyText(k)) ?? 0) + 1 }));
  const around = losing.length === 0 && keys.length === 0 ? [] : await reads.contributionsAround(losing, keys);
  const byOrder = new Map<number, CellContribution>();
  for (const r of [...closedRows, ...around]) byOrder.set(r.order, r);
  const contributions = [...byOrder.values()];
  const cellKeys = [
    ...new Map(
      touchedBy(contributions, () => undefined)
        .cells.concat(touched.cells)
        .map((c) => [cellKeyText(c), c]),
    ).values(),
  ];
  return { cells: cellKeys.length === 0 ? [] : await reads.cells(cellKeys), contributions };
}
