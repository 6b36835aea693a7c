import type { Period, ReportLine, TransmissionTables } from '@il/domain';
import type { Position, Subscription } from '@il/event-store';

/**
 * Which numbers a figure counts: everything recorded (the default), or only what the project's reports stated —
 * the figures as recorded when the newest submitted (or verified) project report was submitted, up to the end of
 * its period (see docs/reports.md).
 */
export type Basis = 'recorded' | 'submitted' | 'verified';

export interface IndicatorQuery {
  periodId?: string | undefined;
  partner?: string | undefined;
  basis?: Basis | undefined;
  /** Answer with what was recorded up to this instant. */
  asOf?: Date | undefined;
  /** Calendar date "today" in the programme's time zone (for the default period and time elapsed). */
  today: string;
  /** The project's views as its scope was read (see ViewVersion): an answer of exactly that version may be reused. */
  version?: ViewVersion | undefined;
}

export interface ProjectIndicators {
  projectId: string;
  period: Period;
  asOf: string | null;
  /** The basis every figure of the answer is on, and for a report basis the report it comes from (null: none yet). */
  basis: Basis;
  basisReport: { periodId: string; submittedAt: string; periodEnd: string } | null;
  elapsedShare: number;
  indicators: {
    code: string;
    name: string;
    unit: string;
    target: number | null;
    periodValue: number | null;
    cumulativeValue: number | null;
    percentOfTarget: number | null;
    byPartner: { partner: string; periodId: string; periodValue: number | null; cumulativeValue: number | null }[];
  }[];
}

export interface EvidenceQuery {
  periodId?: string | undefined;
  asOf?: Date | undefined;
}

export interface IndicatorEvidence {
  projectId: string;
  indicator: string;
  period: Period;
  asOf: string | null;
  events: {
    outputEventId: string;
    sourceEventId: string;
    type: string;
    partner: string;
    date: string;
    value: number;
    distinctKey?: string;
    recordedAt: string;
    /** Whether this contribution is part of the period's figure, and how much of it: the rows add up to it. */
    counted: boolean;
    countedValue: number;
  }[];
  /** The figure the rows explain: the indicator's value in the period (its cumulative value for the whole project). */
  value: number | null;
}

/** Where a partner or project report is: `certified` (partner report) and `verified` (project report) are final. */
export type ReportStatus = 'submitted' | 'certified' | 'verified' | 'reopened';

export interface ReportKey {
  periodId: string;
  /** A partner report's partner; absent for the project report. */
  partner?: string | undefined;
}

export interface ReportTransition {
  transition: ReportStatus;
  /** The submission the transition belongs to (1 for the first). */
  submission: number;
  /** Of a reopening: whether the numbers are open again or stay frozen. */
  numbers: 'open' | 'frozen' | null;
  reason: string;
  actor: string;
  recordedAt: string;
  eventId: string;
}

/** One submission of a report, as it was stated: never changes once recorded. */
export interface ReportSubmission {
  projectId: string;
  level: 'partner' | 'project';
  partner: string | null;
  periodId: string;
  submission: number;
  submittedAt: string;
  actor: string;
  reason: string;
  /** The period as the contract had it at submission; null for submissions recorded before numbers were kept. */
  period: Period | null;
  previousPeriodId: string | null;
  lines: ReportLine[] | null;
}

/** A report as it stands (as of `asOf`): its status, the numbers of its latest submission and its history. */
export interface ReportView {
  projectId: string;
  level: 'partner' | 'project';
  partner: string | null;
  periodId: string;
  asOf: string | null;
  status: ReportStatus;
  numbers: 'open' | 'frozen' | null;
  latest: ReportSubmission;
  history: ReportTransition[];
}

/** What changed since the newest submitted report of a layer, per indicator and partner, with the events. */
export interface ReportChanges {
  projectId: string;
  report: {
    level: 'partner' | 'project';
    partner: string | null;
    periodId: string;
    submission: number;
    submittedAt: string;
  };
  period: Period;
  indicators: {
    code: string;
    name: string;
    unit: string;
    /** Cumulative up to the end of the report's period: as stated by the report, and as recorded now. */
    reported: number | null;
    now: number | null;
    difference: number | null;
    byPartner: { partner: string; reported: number | null; now: number | null }[];
    /** Contributions valid now and not at submission, and the other way round. */
    added: ChangedContribution[];
    removed: ChangedContribution[];
  }[];
}

export interface ChangedContribution {
  outputEventId: string;
  sourceEventId: string;
  type: string;
  partner: string;
  date: string;
  value: number;
  recordedAt: string;
}

export type GroupBy = 'priority' | 'specificObjective' | 'country' | 'region' | 'partner' | 'project' | 'period';
export type Granularity = 'month' | 'quarter' | 'half-year' | 'year';

export interface ProgrammeQuery {
  groupBy: GroupBy;
  from?: string | undefined;
  to?: string | undefined;
  asOf?: Date | undefined;
  granularity?: Granularity | undefined;
  /** On a report basis, each project counts what its basis report stated (projects without one count nothing). */
  basis?: Basis | undefined;
  /** The programme's views as its scope was read (see ViewVersion): an answer of exactly that version may be reused. */
  version?: ViewVersion | undefined;
}

export interface ProgrammeIndicators {
  programmeId: string;
  groupBy: GroupBy;
  from: string;
  to: string;
  asOf: string | null;
  basis: Basis;
  rows: {
    indicator: string;
    name: string;
    unit: string;
    group: string;
    value: number | null;
    cumulativeValue: number | null;
  }[];
}

export interface BehindTargetQuery {
  threshold: number;
  today: string;
  asOf?: Date | undefined;
  basis?: Basis | undefined;
}

export interface BehindTarget {
  programmeId: string;
  threshold: number;
  today: string;
  basis: Basis;
  projects: {
    projectId: string;
    elapsedShare: number;
    indicators: { code: string; target: number | null; achieved: number; achievedShare: number }[];
  }[];
}

export interface ProjectorStatus {
  position: Position;
  globalPosition: number;
}

/**
 * What a query is checked against before it is answered: the programme (access), its time zone ("today"), the
 * indicator codes of its catalogue and a project's partners, so that an unknown code or partner is a 404 rather
 * than a figure of zeros.
 */
export interface ProgrammeScope {
  programmeId: string;
  timeZone: string;
  indicators: string[];
  /** Where the programme's views were when the scope was read; absent from engines that do not version them. */
  version?: ViewVersion | undefined;
}

/**
 * Which state of a project's or programme's views an answer was computed from. Two answers to the same question
 * with equal versions are equal: the projector moves `revision` in the same transaction as every change of the
 * views it covers (a programme's covers all its projects'); `generation` names the copy of the views (a rebuild
 * makes a new one, whose revisions start again) and `format` their layout (a migration that changes what they hold).
 */
export interface ViewVersion {
  generation: string;
  format: number;
  revision: number;
}

export interface ProgrammeSummary {
  programmeId: string;
  name: string;
  timeZone: string;
}

/** A project in a programme's list: `status` relative to today in the programme's time zone. */
export interface ProjectSummary {
  projectId: string;
  priority: string;
  specificObjective: string;
  startDate: string;
  endDate: string;
  /** The countries of its partners, sorted. */
  countries: string[];
  status: 'not-started' | 'running' | 'ended';
}

export interface ProjectListQuery {
  priority?: string | undefined;
  specificObjective?: string | undefined;
  country?: string | undefined;
  status?: ProjectSummary['status'] | undefined;
  today: string;
}

export interface ProjectScope extends ProgrammeScope {
  projectId: string;
  partners: string[];
}

/** The queries every read-model adapter answers identically (the read-model contract suite checks it). */
export interface ViewQueries {
  /** The programme of a projected project (for access checks); undefined when it is not known (yet). */
  projectProgramme(projectId: string): Promise<string | undefined>;
  /** What a programme query is checked against; undefined when the programme is not known (yet). */
  programmeScope(programmeId: string): Promise<ProgrammeScope | undefined>;
  /** What a project query is checked against; undefined when the project is not known (yet). */
  projectScope(projectId: string): Promise<ProjectScope | undefined>;
  /** Every projected programme, by id (the caller pages and filters by access). */
  listProgrammes(): Promise<ProgrammeSummary[]>;
  /** A programme's projects matching the filter, by id. */
  listProjects(programmeId: string, q: ProjectListQuery): Promise<ProjectSummary[]>;
  projectIndicators(projectId: string, q: IndicatorQuery): Promise<ProjectIndicators>;
  indicatorEvidence(projectId: string, code: string, q: EvidenceQuery): Promise<IndicatorEvidence>;
  programmeIndicators(programmeId: string, q: ProgrammeQuery): Promise<ProgrammeIndicators>;
  projectsBehindTarget(programmeId: string, q: BehindTargetQuery): Promise<BehindTarget>;
  /** A project's partner and project reports as they stand (as of `asOf`), each with its status. */
  projectReports(projectId: string, q: { asOf?: Date | undefined }): Promise<Omit<ReportView, 'history'>[]>;
  /** One report as it stands; a report never submitted (as of `asOf`) is not found. */
  projectReport(projectId: string, key: ReportKey, q: { asOf?: Date | undefined }): Promise<ReportView>;
  /** One submission of a report, as stated. */
  reportSubmission(projectId: string, key: ReportKey, submission: number): Promise<ReportSubmission>;
  /** What changed since the newest submitted report of the project (or of one partner). */
  changesSinceReport(projectId: string, q: { partner?: string | undefined }): Promise<ReportChanges>;
  /**
   * The indicator tables of a transmission to the Commission (CPR Annex VII, see docs/transmission.md): outputs up to
   * the end of `cutOff` in the programme's time zone, as recorded at `asOf`, on `basis`.
   */
  transmissionTables(programmeId: string, q: { cutOff: string; asOf: Date; basis: Basis }): Promise<TransmissionTables>;
}

/**
 * Where work that no request waits for reports its failures (the projector loop): it is retried either way, and
 * would otherwise show only as lag. `source` names the work.
 */
export type BackgroundErrors = (source: string, error: unknown) => void;

/**
 * The read-model port: indicator views fed by a projector from the event store, and the queries over them.
 * Adapters: PostgreSQL (default; views in the events' database) and MongoDB. Selected with READ_MODELS.
 */
export interface ReadModels extends ViewQueries {
  readonly engine: string;
  /** Where the projector has got to (what queries reflect). */
  checkpoint(): Promise<ProjectorStatus>;
  /** Runs the projector until stopped, resuming after failures from the stored checkpoint. */
  startProjector(options?: { batchSize?: number; onBatch?: (events: number) => void }): Promise<Subscription>;
  /** Rebuilds the views from position 0 beside the live ones and switches when caught up. */
  rebuild(options?: { timeoutMs?: number }): Promise<{ events: number; ms: number }>;
  close(): Promise<void>;
}
