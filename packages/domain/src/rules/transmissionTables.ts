import type { z } from 'zod';
import { elapsedShare } from '../calendar/periods.js';
import type { Catalogue } from '../catalogue/catalogueSchema.js';
import type { EventMap } from '../events/eventSchemas.js';
import type { transmissionRowSchema, transmissionTablesSchema } from '../events/programmeEvents.js';
import { exactSum } from './exactSum.js';

export type TransmissionRow = z.output<typeof transmissionRowSchema>;
export type TransmissionTables = z.output<typeof transmissionTablesSchema>;

/** A selected operation (project) of the programme as recorded by `asOf`, with its figures up to the cut-off. */
export interface SelectedOperation {
  projectId: string;
  priority: string;
  specificObjective: string;
  /** Its project-level targets by indicator. */
  targets: ReadonlyMap<string, number>;
  /** Its figure per indicator up to the cut-off, by the indicator's rule within the project (null: none). */
  achieved: ReadonlyMap<string, number | null>;
}

export interface TransmissionInput {
  programmeId: string;
  cutOff: string;
  asOf: string;
  basis: TransmissionTables['basis'];
  catalogue: Catalogue;
  targets: readonly EventMap['ProgrammeTargetSet'][];
  operations: readonly SelectedOperation[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const share = (v: number | null, of: number | undefined) => (v === null || !of ? null : v / of);

/**
 * The output and result indicator tables of a transmission (modelled on CPR 2021/1060 Annex VII; see
 * docs/transmission.md), one row per programme target: the operations of its specific objective (and priority)
 * give the value from selected operations (the sum of their targets) and the achieved value — across projects by
 * the indicator's rule: sums and counts add up, a distinct count is counted per project and the projects' counts
 * are added (a key reported by two projects counts twice), a stock adds each project's latest value, a maximum
 * takes the largest.
 */
export function transmissionTables(input: TransmissionInput): TransmissionTables {
  const indicators = new Map(input.catalogue.indicators.map((i) => [i.code, i]));
  const rows = input.targets
    .filter((t) => indicators.has(t.indicator))
    .map((t): TransmissionRow & { kind: 'output' | 'result' } => {
      const indicator = indicators.get(t.indicator)!;
      const operations = input.operations.filter(
        (o) => o.specificObjective === t.specificObjective && o.priority === t.priority,
      );
      const selected = exactSum(operations.map((o) => o.targets.get(t.indicator) ?? 0));
      const figures = operations.map((o) => o.achieved.get(t.indicator) ?? null).filter((v): v is number => v !== null);
      const achieved =
        indicator.aggregation === 'max'
          ? figures.length
            ? Math.max(...figures)
            : null
          : figures.length
            ? exactSum(figures)
            : indicator.aggregation === 'latest'
              ? null
              : 0;
      const milestoneEnd = t.milestone ? `${t.milestone.year}-12-31` : undefined;
      const elapsed = milestoneEnd ? elapsedShare(t.countsFrom, milestoneEnd, input.cutOff) : null;
      const ofMilestone = share(achieved, t.milestone?.value);
      // Behind a straight line from `countsFrom` to the milestone (or short of it once its year is over).
      const atRisk = t.milestone !== null && t.milestone.value > 0 && elapsed !== null && (ofMilestone ?? 0) < elapsed;
      return {
        kind: indicator.kind,
        priority: t.priority,
        specificObjective: t.specificObjective,
        indicator: t.indicator,
        name: indicator.name,
        unit: indicator.unit,
        milestone: t.milestone,
        finalTarget: t.finalTarget,
        baseline: t.baseline,
        selectedOperations: selected,
        achieved,
        progress: {
          ofMilestone,
          ofFinalTarget: share(achieved, t.finalTarget.value),
          elapsedToMilestone: elapsed,
          atRisk,
        },
      };
    })
    .sort(
      (a, b) =>
        byText(a.priority, b.priority) ||
        byText(a.specificObjective, b.specificObjective) ||
        byText(a.indicator, b.indicator),
    );
  const table = (kind: 'output' | 'result') => rows.filter((r) => r.kind === kind).map(({ kind: _kind, ...r }) => r);
  return {
    programmeId: input.programmeId,
    cutOff: input.cutOff,
    asOf: input.asOf,
    basis: input.basis,
    outputs: table('output'),
    results: table('result'),
  };
}
