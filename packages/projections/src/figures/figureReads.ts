import type { Aggregation, Catalogue } from '@il/domain';
import type { GroupBy } from '../port/readModels.js';
import type { ProjectRow, TargetRow, ViewRowsReader } from '../reference/viewRows.js';
import type { CellStats, DayCell, WindowStats } from './windowStats.js';

export type AttributeGroup = Exclude<GroupBy, 'period'>;

/**
 * Each project as of its own instant and up to its own day, on a report basis (the instant and period end of the
 * report the basis reads through); projects not listed are left out.
 */
export type Cuts = ReadonlyMap<string, { asOf: Date; to: string }>;

export interface FigureWindow {
  from: string;
  to: string;
  /** The cells valid at this recorded instant; the live ones when absent. */
  asOf?: Date | undefined;
  /** The first and last day of the programme's cells, when the caller has read them (cellRange). */
  range?: { first: string; last: string } | undefined;
  /** Programme reads on a report basis: these projects' cells only, each cut at its own instant and day. */
  cuts?: Cuts | undefined;
}

/** One month of cells of one indicator: of one organisation (`org` = project/partner) for stocks, of all for flows. */
export interface MonthStats {
  indicator: string;
  /** `project/partner` for the indicators asked per organisation, '' otherwise. */
  org: string;
  month: string;
  sum: number;
  max: number;
  /** The value of the organisation's latest cell in the month (per-organisation rows only). */
  latest: number | null;
}

/** One contribution behind a figure, with whether it is its distinct key's first live occurrence in the project. */
export interface EvidenceRow {
  outputEventId: string;
  sourceEventId: string;
  sourceType: string;
  partner: string;
  date: string;
  value: number;
  distinctKey: string | null;
  recordedAt: Date;
  order: number;
  first: boolean;
}

/**
 * The reads every engine provides over the maintained cells, all plain grouped reads of stored rows (no engine folds
 * contributions to answer, except the reference engine built for tests and engines that do not maintain cells yet).
 * The registry reads (projects, partners, targets, catalogues) come with it. viewQueries builds every answer from these.
 */
export interface FigureReads extends Omit<ViewRowsReader, 'contributions'> {
  /**
   * A project with its programme's catalogue and its targets, read together (undefined: not projected); as of an
   * instant, the contract (end date, targets) as recorded then.
   */
  projectContext(
    projectId: string,
    asOf?: Date,
  ): Promise<{ project: ProjectRow; catalogue: Catalogue; targets: TargetRow[] } | undefined>;
  /**
   * The same context with the project's cells valid at `asOf` (live when absent), in one read: a project question
   * on the recorded basis needs nothing else (each statement's round trip was most of such a question's cost).
   */
  projectContextWithCells(
    projectId: string,
    asOf?: Date,
  ): Promise<{ project: ProjectRow; catalogue: Catalogue; targets: TargetRow[]; cells: DayCell[] } | undefined>;
  /** A project's cells valid at `asOf` (live when absent), every date (the shared rules pick the windows). */
  projectCells(projectId: string, asOf: Date | undefined): Promise<DayCell[]>;
  /** Per indicator and group, over the programme's projects; groups with a cell up to `to`. */
  groupStats(
    programmeId: string,
    groupBy: AttributeGroup,
    w: FigureWindow,
    rules: ReadonlyMap<string, Aggregation>,
  ): Promise<{ indicator: string; group: string; stats: WindowStats }[]>;
  /** The first and last day of the programme's cells up to `to` (all when absent); undefined when there is none. */
  cellRange(
    programmeId: string,
    asOf: Date | undefined,
    to?: string,
    cuts?: Cuts,
  ): Promise<{ first: string; last: string } | undefined>;
  /** Month stats of the cells up to `to`; per organisation for the indicators in `perOrganisation`. */
  monthStats(
    programmeId: string,
    to: string,
    asOf: Date | undefined,
    perOrganisation: readonly string[],
    cuts?: Cuts,
  ): Promise<MonthStats[]>;
  /**
   * Per project and indicator, the stats of the project's cells up to its `to`, all partners together, valid at
   * its own `asOf` when it has one (a report basis), else at `asOf`.
   */
  cumulativeStats(
    ends: readonly { projectId: string; to: string; asOf?: Date | undefined }[],
    asOf: Date | undefined,
  ): Promise<{ projectId: string; indicator: string; stats: CellStats }[]>;
  /** Every contribution of one indicator of a project valid at `asOf`, in recorded order. */
  evidence(projectId: string, indicator: string, asOf: Date | undefined): Promise<EvidenceRow[]>;
}
