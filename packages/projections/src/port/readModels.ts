import type { Period } from '@il/domain';
import type { Position, Subscription } from '@il/event-store';

export interface IndicatorQuery {
  periodId?: string | undefined;
  partner?: string | undefined;
  /** Answer with what was recorded up to this instant. */
  asOf?: Date | undefined;
  /** Calendar date "today" in the programme's time zone (for the default period and time elapsed). */
  today: string;
}

export interface ProjectIndicators {
  projectId: string;
  period: Period;
  asOf: string | null;
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

export type GroupBy = 'priority' | 'specificObjective' | 'country' | 'region' | 'partner' | 'project' | 'period';
export type Granularity = 'month' | 'quarter' | 'half-year' | 'year';

export interface ProgrammeQuery {
  groupBy: GroupBy;
  from?: string | undefined;
  to?: string | undefined;
  asOf?: Date | undefined;
  granularity?: Granularity | undefined;
}

export interface ProgrammeIndicators {
  programmeId: string;
  groupBy: GroupBy;
  from: string;
  to: string;
  asOf: string | null;
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
}

export interface BehindTarget {
  programmeId: string;
  threshold: number;
  today: string;
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
