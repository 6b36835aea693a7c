import { cellKeyText, type AggregationOf, type Cell, type CellContribution, type CellKey } from './cells.js';
import { touchedBy, type CellWorkingSet } from './maintainCells.js';

/** A distinct key of one indicator of one project. */
export interface DistinctKeyRef {
  projectId: string;
  indicator: string;
  distinctKey: string;
}

/** The three reads of stored live rows an engine provides for the working set, each by key. */
export interface WorkingSetReads {
  /** The live contributions of these outputs. */
  contributionsOfOutputs(outputEventIds: readonly string[]): Promise<CellContribution[]>;
  /** The live contributions of these cells and of these distinct keys. */
  contributionsAround(cells: readonly CellKey[], keys: readonly DistinctKeyRef[]): Promise<CellContribution[]>;
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
  const around =
    losing.length === 0 && touched.keys.length === 0 ? [] : await reads.contributionsAround(losing, touched.keys);
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
