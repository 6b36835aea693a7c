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
  pending?: CellVersion;
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
  // Each contribution's cell and distinct key, built once: a rebuild folds a whole stream as one batch, and
  // building the key texts again at every use (and the strings' hashing) was most of this fold's time.
  const texts = new Map<CellContribution, { cell: string; distinct: string | undefined }>();
  const textsOf = (r: CellContribution) => {
    let t = texts.get(r);
    if (!t) {
      const distinct = aggregationOf(r.projectId, r.indicator) === 'count-distinct' ? distinctKeyText(r) : undefined;
      texts.set(r, (t = { cell: cellKeyOfContribution(r), distinct }));
    }
    return t;
  };
  // Each distinct key's first occurrence, kept as rows arrive (a key counted in hundreds of a stream's outputs was
  // searched for again at every one of them); found again only when the first is removed.
  const firsts = new Map<string, CellContribution>();
  const add = (r: CellContribution) => {
    const t = textsOf(r);
    put(byOutput, r.outputEventId, r);
    put(byCell, t.cell, r);
    if (t.distinct !== undefined) {
      put(byKey, t.distinct, r);
      const first = firsts.get(t.distinct);
      if (first) firsts.set(t.distinct, firstOccurrence([first, r])!);
    }
  };
  const remove = (r: CellContribution) => {
    const t = textsOf(r);
    drop(byOutput, r.outputEventId, r);
    drop(byCell, t.cell, r);
    if (t.distinct !== undefined) {
      drop(byKey, t.distinct, r);
      if (firsts.get(t.distinct) === r) firsts.delete(t.distinct);
    }
  };
  for (const r of loaded.contributions) add(r);
  const current = new Map<string, Current>(loaded.cells.map((c) => [cellKeyText(c), { cell: c }]));
  const initial = new Map(current);
  const changed = new Map<string, CellKey>();
  const out: CellChanges = { closeStored: [], insert: [], net: [] };
  const firstOf = (key: string) => {
    let first = firsts.get(key);
    if (!first) {
      first = firstOccurrence(byKey.get(key) ?? []);
      if (first) firsts.set(key, first);
    }
    return first;
  };
  const none: readonly CellContribution[] = [];
  // Versions replaced at the instant they began (by a later step of the same event time): not inserted.
  const dropped = new Set<CellVersion>();

  // Per cell a step touches: the change in its number of contributions and in the keys it counts (reused).
  const delta = new Map<
    string,
    { rows: number; counted: number; key: CellKey; added: CellContribution[]; removed: CellContribution[] }
  >();
  const touch = (r: CellContribution) => {
    const text = textsOf(r).cell;
    let d = delta.get(text);
    if (!d) {
      const key = { projectId: r.projectId, indicator: r.indicator, partner: r.partner, day: r.date };
      delta.set(text, (d = { rows: 0, counted: 0, key, added: [], removed: [] }));
    }
    return d;
  };

  for (const step of steps) {
    const removed = step.closes.length === 0 ? none : step.closes.flatMap((id) => [...(byOutput.get(id) ?? [])]);
    // The distinct keys the step touches, with their first occurrence before it.
    let before: Map<string, CellContribution | undefined> | undefined;
    for (const rows of [removed, step.adds])
      for (const r of rows) {
        const k = r.distinctKey === null ? undefined : textsOf(r).distinct;
        if (k !== undefined && !(before ??= new Map()).has(k)) before.set(k, firstOf(k));
      }
    for (const r of removed) remove(r);
    for (const r of step.adds) add(r);

    delta.clear();
    for (const r of removed) {
      const d = touch(r);
      d.rows--;
      d.removed.push(r);
    }
    for (const r of step.adds) {
      const d = touch(r);
      d.rows++;
      d.added.push(r);
    }
    if (before)
      for (const [k, was] of before) {
        const now = firstOf(k);
        if ((was && textsOf(was).cell) === (now && textsOf(now).cell)) continue;
        if (was) touch(was).counted--;
        if (now) touch(now).counted++;
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
        if (old.pending.validFrom.getTime() === step.at.getTime()) dropped.add(old.pending);
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
      // Literals of one shape rather than spreads: these are made for most steps of a rebuild, and copying by
      // spread was half of this fold's own time.
      const { projectId, indicator, partner, day } = d.key;
      const cell: Cell = { projectId, indicator, partner, day, value, contributions };
      const pending: CellVersion = {
        projectId,
        indicator,
        partner,
        day,
        value,
        contributions,
        validFrom: step.at,
        validTo: null,
      };
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
  if (dropped.size > 0) out.insert = out.insert.filter((v) => !dropped.has(v));
  return out;
}
