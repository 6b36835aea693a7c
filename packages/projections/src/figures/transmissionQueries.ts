import { NotFoundError, transmissionTables, type TransmissionTables } from '@il/domain';
import type { Basis } from '../port/readModels.js';
import type { Cuts, FigureReads } from './figureReads.js';
import { rulesOf } from './cells.js';
import { figureOf } from './windowStats.js';

export interface TransmissionQuery {
  /** Outputs occurred up to the end of this day (a calendar date in the programme's time zone). */
  cutOff: string;
  /** What was recorded by then: registry, targets, outputs and reports. */
  asOf: Date;
  basis: Basis;
}

/**
 * The indicator tables of a transmission, from maintained rows: the programme targets and projects as recorded at
 * `asOf`, each project's targets then, and each project's cumulative cells up to the cut-off (on a report basis, as
 * its basis report stated them), combined by the pure rules of transmissionTables.
 */
export function transmissionQueries(
  reads: FigureReads,
  cutsOf: (programmeId: string, basis: Basis, asOf: Date | undefined) => Promise<Cuts | undefined>,
) {
  return {
    async transmissionTables(programmeId: string, q: TransmissionQuery): Promise<TransmissionTables> {
      const catalogue = await reads.catalogue(programmeId);
      if (!catalogue) throw new NotFoundError(`programme ${programmeId} not found (or not projected yet)`);
      const [targets, projects, cuts] = await Promise.all([
        reads.programmeTargets(programmeId, q.asOf),
        reads.projects(programmeId, q.asOf),
        cutsOf(programmeId, q.basis, q.asOf),
      ]);
      const ends = projects.flatMap((p) => {
        if (!cuts) return [{ projectId: p.projectId, to: q.cutOff }];
        const cut = cuts.get(p.projectId);
        return cut ? [{ projectId: p.projectId, to: cut.to < q.cutOff ? cut.to : q.cutOff, asOf: cut.asOf }] : [];
      });
      const [stats, projectTargets] = await Promise.all([
        reads.cumulativeStats(ends, q.asOf),
        reads.projectTargets(
          projects.map((p) => p.projectId),
          q.asOf,
        ),
      ]);
      const rules = rulesOf(catalogue);
      const targetsOf = (projectId: string) =>
        new Map(
          projectTargets
            .filter((t) => t.projectId === projectId && t.partner === '')
            .map((t) => [t.indicator, t.value]),
        );
      return transmissionTables({
        programmeId,
        cutOff: q.cutOff,
        asOf: q.asOf.toISOString(),
        basis: q.basis,
        catalogue,
        targets,
        operations: projects.map((p) => ({
          projectId: p.projectId,
          priority: p.priority,
          specificObjective: p.specificObjective,
          targets: targetsOf(p.projectId),
          achieved: new Map(
            stats
              .filter((s) => s.projectId === p.projectId)
              .map((s) => [s.indicator, figureOf(rules.get(s.indicator) ?? 'sum', s.stats)]),
          ),
        })),
      });
    },
  };
}
