import { exactSum, type Aggregation } from '@il/domain';
import {
  cellKeyOfContribution,
  cellKeyText,
  cellValueOf,
  distinctKeyText,
  firstOccurrence,
  type AggregationOf,
  type Cell,
  type CellContribution,
  type CellKey,
} from './cells.js';

/** One event's part in the cells: the outputs whose live contributions it ends, and the contributions it adds. */
export interface CellStep {
  at: Date;
  closes: readonly string[];
  adds: readonly CellContribution[];
}

/** A version of a cell, valid in recorded time from `validFrom` until `validTo` (null: still valid). */
export interface CellVersion extends Cell {
  validFrom: Date;
  validTo: Date | null;
}

export interface CellChanges {
  /** Stored live cells whose validity ends at `at`. */
  closeStored: { key: CellKey; at: Date }[];
  /** New versions, in the order they became valid; `validTo` is set where a later step replaced one. */
  insert: CellVersion[];
  /** Each cell whose live state the batch changed: before the batch and after it (undefined: no live cell). */
  net: { key: CellKey; before: Cell | undefined; after: Cell | undefined }[];
}

/**
 * What the batch's steps must be able to see, read before the batch from what is stored (live rows only): every
 * contribution of each output a step closes and of each max or latest cell that loses one in the batch; of each
 * distinct key a step touches, its first occurrences (one more than the batch closes of them); the cells a step
 * touches and those keys' current first occurrences.
 */
export interface CellWorkingSet {
  cells: readonly Cell[];
  contributions: readonly CellContribution[];
}

/** Which cells and keys a batch touches, so an adapter knows what to load (see CellWorkingSet). */
export function touchedBy(rows: Iterable<CellContribution>, aggregationOf: AggregationOf) {
  const cells = new Map<string, CellKey>();
  const keys = new Map<string, { projectId: string; indicator: string; distinctKey: string }>();
  for (const r of rows) {
    cells.set(cellKeyOfContribution(r), {
      projectId: r.projectId,
      indicator: r.indicator,
      partner: r.partner,
      day: r.date,
    });
    if (aggregationOf(r.projectId, r.indicator) === 'count-distinct' && r.distinctKey !== null)
      keys.set(distinctKeyText(r), { projectId: r.projectId, indicator: r.indicator, distinctKey: r.distinctKey });
  }
  return { cells: [...cells.values()], keys: [...keys.values()] };
}

interface Current {
  cell: Cell;
  /** The version this batch inserts for it, if any; otherwise the cell is the stored live one. */
  pending?: CellVersion & { dropped?: boolean };
}

/**
 * A cell's value after a step, from its value before and what the step added and removed: sums by difference,
 * a max or latest from the added rows while none is removed; only a max or latest that loses a row is computed
 * again from all its rows (which the working set then holds).
 */
function nextValue(
  aggregation: Aggregation,
  old: Cell | undefined,
  d: { counted: number; added: readonly CellContribution[]; removed: readonly CellContribution[] },
  rows: () => CellContribution[],
): number {
  switch (aggregation) {
    case 'count-distinct':
      return (old?.value ?? 0) + d.counted;
    case 'sum':
    case 'count':
      return exactSum([old?.value ?? 0, ...d.added.map((r) => r.value), ...d.removed.map((r) => -r.value)]);
    case 'max':
    case 'latest': {
      if (d.removed.length > 0 || !old) return cellValueOf(aggregation, rows());
      if (d.added.length === 0) return old.value;
      // Added rows are recorded after every row the cell holds: the latest is the last added.
      return aggregation === 'max' ? Math.max(old.value, ...d.added.map((r) => r.value)) : d.added.at(-1)!.value;
    }
  }
}

/**
 * The incremental fold of the cells: applies a batch's steps, in recorded order, to the working set and says which
 * stored cells end and which versions begin. Every step leaves a version behind, so "as of" any instant reads the
 * cells that held then. The result always equals cellsFromContributions over the same live contributions (the
 * property test checks it over random histories).
 */
export function maintainCells(
  loaded: CellWorkingSet,
  steps: readonly CellStep[],
  aggregationOf: AggregationOf,
): CellChanges {
  const byOutput = new Map<string, Set<CellContribution>>();
  const byCell = new Map<string, Set<CellContribution>>();
  const byKey = new Map<string, Set<CellContribution>>();
  const put = <K>(m: Map<K, Set<CellContribution>>, k: K, r: CellContribution) => {
    const s = m.get(k);
    if (s) s.add(r);
    else m.set(k, new Set([r]));
  };
  const drop = <K>(m: Map<K, Set<CellContribution>>, k: K, r: CellContribution) => {
    const s = m.get(k);
    s?.delete(r);
    if (s?.size === 0) m.delete(k);
  };
  const isDistinct = (r: CellContribution) => aggregationOf(r.projectId, r.indicator) === 'count-distinct';
  const add = (r: CellContribution) => {
    put(byOutput, r.outputEventId, r);
    put(byCell, cellKeyOfContribution(r), r);
    if (isDistinct(r)) put(byKey, distinctKeyText(r), r);
  };
  const remove = (r: CellContribution) => {
    drop(byOutput, r.outputEventId, r);
    drop(byCell, cellKeyOfContribution(r), r);
    if (isDistinct(r)) drop(byKey, distinctKeyText(r), r);
  };
  for (const r of loaded.contributions) add(r);
  const current = new Map<string, Current>(loaded.cells.map((c) => [cellKeyText(c), { cell: c }]));
  const initial = new Map(current);
  const changed = new Map<string, CellKey>();
  const out: CellChanges = { closeStored: [], insert: [], net: [] };
  const firstOf = (key: string) => firstOccurrence(byKey.get(key) ?? []);

  for (const step of steps) {
    const removed = step.closes.flatMap((id) => [...(byOutput.get(id) ?? [])]);
    const keys = new Set(
      [...removed, ...step.adds].filter((r) => isDistinct(r) && r.distinctKey !== null).map(distinctKeyText),
    );
    const before = new Map([...keys].map((k) => [k, firstOf(k)]));
    for (const r of removed) remove(r);
    for (const r of step.adds) add(r);

    // Per cell: the change in its number of contributions and in the keys it counts.
    const delta = new Map<
      string,
      { rows: number; counted: number; key: CellKey; added: CellContribution[]; removed: CellContribution[] }
    >();
    const touch = (key: string, of: CellKey) => {
      let d = delta.get(key);
      if (!d) delta.set(key, (d = { rows: 0, counted: 0, key: of, added: [], removed: [] }));
      return d;
    };
    const keyOf = (r: CellContribution): CellKey => ({
      projectId: r.projectId,
      indicator: r.indicator,
      partner: r.partner,
      day: r.date,
    });
    for (const r of removed) {
      const d = touch(cellKeyOfContribution(r), keyOf(r));
      d.rows--;
      d.removed.push(r);
    }
    for (const r of step.adds) {
      const d = touch(cellKeyOfContribution(r), keyOf(r));
      d.rows++;
      d.added.push(r);
    }
    for (const k of keys) {
      const was = before.get(k);
      const now = firstOf(k);
      const wasCell = was && cellKeyOfContribution(was);
      const nowCell = now && cellKeyOfContribution(now);
      if (wasCell === nowCell) continue;
      if (was) touch(wasCell!, keyOf(was)).counted--;
      if (now) touch(nowCell!, keyOf(now)).counted++;
    }

    for (const [text, d] of delta) {
      const old = current.get(text);
      const contributions = (old?.cell.contributions ?? 0) + d.rows;
      const aggregation = aggregationOf(d.key.projectId, d.key.indicator);
      if (!aggregation) continue;
      const value = contributions <= 0 ? 0 : nextValue(aggregation, old?.cell, d, () => [...byCell.get(text)!]);
      if (old && old.cell.contributions === contributions && old.cell.value === value) continue;
      changed.set(text, d.key);
      if (old?.pending) {
        if (old.pending.validFrom.getTime() === step.at.getTime()) old.pending.dropped = true;
        else old.pending.validTo = step.at;
      } else if (old) {
        out.closeStored.push({
          key: {
            projectId: old.cell.projectId,
            indicator: old.cell.indicator,
            partner: old.cell.partner,
            day: old.cell.day,
          },
          at: step.at,
        });
      }
      if (contributions <= 0) {
        current.delete(text);
        continue;
      }
      const cell: Cell = { ...d.key, value, contributions };
      const pending = { ...cell, validFrom: step.at, validTo: null };
      out.insert.push(pending);
      current.set(text, { cell, pending });
    }
  }
  for (const [text, key] of changed) {
    const before = initial.get(text)?.cell;
    const after = current.get(text)?.cell;
    if (before?.value !== after?.value || before?.contributions !== after?.contributions)
      out.net.push({ key, before, after });
  }
  out.insert = out.insert.filter((v) => !(v as { dropped?: boolean }).dropped);
  for (const v of out.insert) delete (v as { dropped?: boolean }).dropped;
  return out;
}
