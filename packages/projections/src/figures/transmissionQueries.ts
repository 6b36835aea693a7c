import { NotFoundError, transmissionTables, type TransmissionTables } from '@il/domain';
import type { Basis } from '../port/readModels.js';
import type { ProjectRow } from '../reference/viewRows.js';
import type { Cuts, FigureReads } from './figureReads.js';
import { rulesOf } from './cells.js';
import { figureOf } from './windowStats.js';
import { projectEnds, projectLevelTargets, statsByProject } from './perProject.js';

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
  cutsOf: (
    programmeId: string,
    basis: Basis,
    asOf: Date | undefined,
    projects?: readonly ProjectRow[],
  ) => Promise<Cuts | undefined>,
) {
  return {
    async transmissionTables(programmeId: string, q: TransmissionQuery): Promise<TransmissionTables> {
      const catalogue = await reads.catalogue(programmeId);
      if (!catalogue) throw new NotFoundError(`programme ${programmeId} not found (or not projected yet)`);
      const [targets, projects] = await Promise.all([
        reads.programmeTargets(programmeId, q.asOf),
        reads.projects(programmeId, q.asOf),
      ]);
      const cuts = await cutsOf(programmeId, q.basis, q.asOf, projects);
      const ends = projectEnds(projects, cuts, () => q.cutOff);
      const [stats, targetRows] = await Promise.all([
        reads.cumulativeStats(ends, q.asOf),
        reads.projectTargets(
          projects.map((p) => p.projectId),
          q.asOf,
        ),
      ]);
      const rules = rulesOf(catalogue);
      const projectTargets = projectLevelTargets(targetRows);
      const cumulative = statsByProject(stats);
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
          targets: projectTargets.get(p.projectId) ?? new Map<string, number>(),
          achieved: new Map(
            [...(cumulative.get(p.projectId) ?? [])].map(([code, s]) => [code, figureOf(rules.get(code) ?? 'sum', s)]),
          ),
        })),
      });
    },
  };
}
