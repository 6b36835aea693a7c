import type { Catalogue, ReportSnapshot } from '@il/domain';

export interface ProjectRow {
  projectId: string;
  programmeId: string;
  priority: string;
  specificObjective: string;
  startDate: string;
  endDate: string;
  reportingPeriodMonths: number;
}

export interface PartnerRow {
  projectId: string;
  partnerCode: string;
  country: string;
  nuts3: string;
}

export interface TargetRow {
  indicator: string;
  partner: string;
  value: number;
}

/** One transition of a partner or project report, as recorded: a submission carries the numbers it stated. */
export interface ReportRow {
  projectId: string;
  eventId: string;
  level: 'partner' | 'project';
  /** '' for the project report. */
  partner: string;
  periodId: string;
  transition: 'submitted' | 'approved' | 'reopened';
  /** Of a reopening: whether the report's numbers are open again or stay frozen. */
  numbers: 'open' | 'frozen' | null;
  reason: string;
  snapshot: ReportSnapshot | null;
  actor: string;
  recordedAt: Date;
}

/** One stored contribution, with the recorded-time interval in which it was valid. */
export interface ContributionRow {
  projectId: string;
  partner: string;
  indicator: string;
  date: string;
  value: number;
  distinctKey: string | null;
  outputEventId: string;
  sourceEventId: string;
  sourceType: string;
  validFrom: Date;
  validTo: Date | null;
}

export interface ContributionFilter {
  programmeId?: string;
  projectId?: string;
  indicator?: string;
  /** Only contributions that occurred on or before this date. */
  to?: string;
  /** Valid at this recorded instant; live ones when absent. */
  asOf?: Date | undefined;
}

/**
 * Plain reads of the view rows, which is all an adapter must provide for the reference queries. Contributions come
 * in the order they were recorded (a stock's tie on the same date goes to the later record).
 */
export interface ViewRowsReader {
  catalogue(programmeId: string): Promise<Catalogue | undefined>;
  /** The programme's IANA time zone (it decides "today" and the calendar), undefined when not projected. */
  timeZone(programmeId: string): Promise<string | undefined>;
  /** Every projected programme, by id. */
  programmes(): Promise<{ programmeId: string; name: string; timeZone: string }[]>;
  project(projectId: string): Promise<ProjectRow | undefined>;
  projects(programmeId: string): Promise<ProjectRow[]>;
  partners(projectIds: string[]): Promise<PartnerRow[]>;
  targets(projectId: string): Promise<TargetRow[]>;
  /** The report transitions of these projects, in the order they were recorded. */
  reports(projectIds: readonly string[]): Promise<ReportRow[]>;
  contributions(filter: ContributionFilter): Promise<ContributionRow[]>;
}

export function validAt(c: Pick<ContributionRow, 'validFrom' | 'validTo'>, asOf: Date | undefined): boolean {
  if (!asOf) return c.validTo === null;
  return c.validFrom <= asOf && (c.validTo === null || c.validTo > asOf);
}
