import type { Catalogue, EventMap, ReportSnapshot } from '@il/domain';

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
  /** As of an instant: with the end date (and so the periods) as recorded then. */
  project(projectId: string, asOf?: Date): Promise<ProjectRow | undefined>;
  /** As of an instant: the projects registered by then, each with its end date as recorded then. */
  projects(programmeId: string, asOf?: Date): Promise<ProjectRow[]>;
  partners(projectIds: string[]): Promise<PartnerRow[]>;
  /** As of an instant: each target's value as recorded then (none before its first setting). */
  targets(projectId: string, asOf?: Date): Promise<TargetRow[]>;
  /** The targets of many projects at once (programme questions), as `targets` gives each. */
  projectTargets(projectIds: readonly string[], asOf?: Date): Promise<(TargetRow & { projectId: string })[]>;
  /** The programme's own targets as recorded at `asOf` (now when absent): each one's newest version by then. */
  programmeTargets(programmeId: string, asOf?: Date): Promise<EventMap['ProgrammeTargetSet'][]>;
  /** The report transitions of these projects, in the order they were recorded. */
  reports(projectIds: readonly string[]): Promise<ReportRow[]>;
  contributions(filter: ContributionFilter): Promise<ContributionRow[]>;
}

export function validAt(c: Pick<ContributionRow, 'validFrom' | 'validTo'>, asOf: Date | undefined): boolean {
  if (!asOf) return c.validTo === null;
  return c.validFrom <= asOf && (c.validTo === null || c.validTo > asOf);
}

/** One recorded version of a project's end date (its registration's, then each amendment's). */
export interface EndVersion {
  endDate: string;
  recordedAt: Date;
}

/** One recorded value of a target, in recorded order. */
export interface TargetVersion extends TargetRow {
  recordedAt: Date;
}

/**
 * The end date as recorded at `asOf`: the newest version recorded by then (the registration's when `asOf` is
 * earlier than every version: the project as registered). Versions in recorded order.
 */
export function endDateAsOf(versions: readonly EndVersion[], asOf: Date): string | undefined {
  let found = versions[0]?.endDate;
  for (const v of versions) if (v.recordedAt <= asOf) found = v.endDate;
  return found;
}

/** Each target's value as recorded at `asOf` (versions in recorded order; a target set later is absent). */
export function targetsAsOf(versions: readonly TargetVersion[], asOf: Date): TargetRow[] {
  const latest = new Map<string, TargetRow>();
  for (const v of versions)
    if (v.recordedAt <= asOf)
      latest.set(`${v.indicator}\u001f${v.partner}`, { indicator: v.indicator, partner: v.partner, value: v.value });
  return [...latest.values()];
}

/** One recorded version of a programme target. */
export interface ProgrammeTargetVersion {
  target: EventMap['ProgrammeTargetSet'];
  recordedAt: Date;
}

/** Each programme target (by indicator and specific objective) as recorded at `asOf` (all versions when absent). */
export function programmeTargetsAsOf(
  versions: readonly ProgrammeTargetVersion[],
  asOf: Date | undefined,
): EventMap['ProgrammeTargetSet'][] {
  const latest = new Map<string, EventMap['ProgrammeTargetSet']>();
  for (const v of versions)
    if (!asOf || v.recordedAt <= asOf) latest.set(`${v.target.indicator}\u001f${v.target.specificObjective}`, v.target);
  return [...latest.values()];
}
