import type { ProjectRow, TargetRow } from '../reference/viewRows.js';
import type { Cuts } from './figureReads.js';
import type { CellStats } from './windowStats.js';

/**
 * The end of each project's cells a programme question reads up to (`toOf`), and on a report basis (cuts) each
 * project clipped to its report's period and read as of its submission; projects without a basis report drop out.
 */
export function projectEnds(
  projects: readonly ProjectRow[],
  cuts: Cuts | undefined,
  toOf: (p: ProjectRow) => string,
): { projectId: string; to: string; asOf?: Date }[] {
  return projects.flatMap((p) => {
    const to = toOf(p);
    if (!cuts) return [{ projectId: p.projectId, to }];
    const cut = cuts.get(p.projectId);
    return cut ? [{ projectId: p.projectId, to: cut.to < to ? cut.to : to, asOf: cut.asOf }] : [];
  });
}

/** Project-level targets (no partner) by project, then indicator. */
export function projectLevelTargets(rows: readonly (TargetRow & { projectId: string })[]) {
  const out = new Map<string, Map<string, number>>();
  for (const t of rows) {
    if (t.partner !== '') continue;
    let m = out.get(t.projectId);
    if (!m) out.set(t.projectId, (m = new Map<string, number>()));
    m.set(t.indicator, t.value);
  }
  return out;
}

/** Cumulative stats by project, then indicator. */
export function statsByProject(stats: readonly { projectId: string; indicator: string; stats: CellStats }[]) {
  const out = new Map<string, Map<string, CellStats>>();
  for (const s of stats) {
    let m = out.get(s.projectId);
    if (!m) out.set(s.projectId, (m = new Map<string, CellStats>()));
    m.set(s.indicator, s.stats);
  }
  return out;
}
