import { reportingPeriods, type Period } from '../calendar/periods.js';
import type { DomainEvent, EventMap } from '../events/eventSchemas.js';
import type { ReportSnapshot } from '../rules/reportSnapshot.js';
import { occurrenceDate } from '../rules/contributions.js';
import { isOutputType, type OutputType } from '../events/outputSchemas.js';
import { uniqueKeyOf } from './outputKeys.js';
import {
  createOutputTable,
  type KeyIndex,
  type OutputIndex,
  type OutputSummary,
  type OutputTable,
} from './outputTable.js';

/** A recorded output with its current payload: the latest correction's replacement, or the original. */
export interface RecordedOutput extends OutputSummary {
  data: EventMap[OutputType];
  /** The ids of the events that corrected it, oldest first. */
  corrections: readonly string[];
}

export interface RegisteredProject {
  status: 'registered';
  project: EventMap['ProjectRegistered'];
  periods: Period[];
  // Maps, not objects: every key here comes from a request at some point (a partner code, an event id), and an
  // object answers `constructor` or `__proto__` from its prototype.
  partners: ReadonlyMap<string, EventMap['PartnerJoined']>;
  /** `indicator` or `indicator@partner` → target value. */
  targets: ReadonlyMap<string, number>;
  /** `P2` or `P2@PP5` → report state; a report with no entry is a draft. */
  reports: ReadonlyMap<string, ReportState>;
  outputs: OutputIndex;
  /** Unique output key (see outputKeys) → event id of the live output holding it. */
  keys: KeyIndex;
  amendments: number;
}

/**
 * Where a partner or project report is. `approved` is certified (partner report, by first-level control) or
 * verified (project report, by the secretariat): the level says which.
 */
export interface ReportState {
  level: 'partner' | 'project';
  periodId: string;
  partner: string | undefined;
  status: 'submitted' | 'approved' | 'reopened';
  /** While reopened: whether its numbers are open again (it was the newest of its layer) or stay frozen. */
  numbers: 'open' | 'frozen';
  /** The numbers of its latest submission (null for submissions recorded before snapshots were kept). */
  snapshot: ReportSnapshot | null;
  submissions: number;
}

export type ProjectState = { status: 'none' } | RegisteredProject;

export const initialProjectState: ProjectState = { status: 'none' };

export const targetKey = (indicator: string, partner?: string) => (partner ? `${indicator}@${partner}` : indicator);
export const reportKey = (periodId: string, partner?: string) => (partner ? `${periodId}@${partner}` : periodId);

/** A copy of `map` with one entry set: the small maps (partners, targets, reports) are replaced, never shared. */
const withEntry = <V>(map: ReadonlyMap<string, V>, key: string, value: V): ReadonlyMap<string, V> =>
  new Map(map).set(key, value);

/**
 * Folds a project stream's events into the state decisions need. `eventId` is the stored event's id, which
 * corrections and retractions refer to. Events are trusted (they were decided against this state).
 *
 * Ownership rule: the `outputs` and `keys` maps grow in place and are shared with the state passed in, because
 * copying them for every event made loading a long project quadratic. A state must therefore not be used for
 * decisions once a later state has been evolved from it; every caller folds forward only (reduce, or the stream
 * cache, which replaces its state as it evolves it).
 */
export function evolveProject(state: ProjectState, event: DomainEvent, eventId: string): ProjectState {
  if (event.type === 'ProjectRegistered') {
    const p = event.data;
    const outputs = createOutputTable();
    return {
      status: 'registered',
      project: p,
      periods: reportingPeriods(p.startDate, p.endDate, p.reportingPeriodMonths),
      partners: new Map(),
      targets: new Map(),
      reports: new Map(),
      outputs,
      keys: outputs.keys,
      amendments: 0,
    };
  }
  if (state.status !== 'registered') return state;
  switch (event.type) {
    case 'ProjectAmended': {
      const project = { ...state.project, endDate: event.data.endDate };
      return {
        ...state,
        project,
        periods: reportingPeriods(project.startDate, project.endDate, project.reportingPeriodMonths),
        amendments: state.amendments + 1,
      };
    }
    case 'PartnerJoined':
      return { ...state, partners: withEntry(state.partners, event.data.partnerCode, event.data) };
    case 'TargetSet':
      return {
        ...state,
        targets: withEntry(state.targets, targetKey(event.data.indicator, event.data.partner), event.data.value),
      };
    case 'ReportSubmitted':
    case 'ReportApproved':
    case 'ReportReopened': {
      const { level, periodId, partner } = event.data;
      const key = reportKey(periodId, partner);
      const before = state.reports.get(key);
      const base: ReportState = before ?? {
        level,
        periodId,
        partner,
        status: 'submitted',
        numbers: 'open',
        snapshot: null,
        submissions: 0,
      };
      const next: ReportState =
        event.type === 'ReportSubmitted'
          ? {
              ...base,
              status: 'submitted',
              numbers: 'open',
              snapshot: event.data.snapshot,
              submissions: base.submissions + 1,
            }
          : event.type === 'ReportApproved'
            ? { ...base, status: 'approved' }
            : { ...base, status: 'reopened', numbers: event.data.numbers };
      return { ...state, reports: withEntry(state.reports, key, next) };
    }
    case 'OutputCorrected': {
      const original = state.outputs.get(event.data.correctsEventId);
      if (!original) return state;
      const replacement = event.data.replacement as { type: OutputType; data: EventMap[OutputType] };
      const key = uniqueKeyOf(replacement.type, replacement.data);
      (state.outputs as OutputTable).set({
        ...original,
        partner: partnerOf(replacement.data),
        key,
        date: dateOf(replacement),
      });
      return { ...state };
    }
    case 'OutputRetracted': {
      const original = state.outputs.get(event.data.retractsEventId);
      if (!original) return state;
      (state.outputs as OutputTable).set({ ...original, retracted: true });
      return { ...state };
    }
    default: {
      if (!isOutputType(event.type)) return state;
      const data = event.data as EventMap[OutputType];
      const key = uniqueKeyOf(event.type, data);
      (state.outputs as OutputTable).set({
        eventId,
        type: event.type,
        partner: partnerOf(data),
        key,
        date: dateOf({ type: event.type, data }),
        retracted: false,
      });
      return { ...state };
    }
  }
}

/** Outputs have their own dates (the project start is only PartnerJoined's default). */
const dateOf = (output: { type: OutputType; data: EventMap[OutputType] }): string => occurrenceDate(output, '');

const partnerOf = (data: EventMap[OutputType]): string | undefined => {
  const p = (data as { partner?: unknown }).partner;
  return typeof p === 'string' ? p : undefined;
};

/**
 * Every output of a project stream with its current payload, corrections and retraction: the detail reads' fold
 * (the write model keeps only summaries). `events` are the whole stream in order, with their stored ids. The
 * summaries come from evolveProject itself, so the two cannot disagree; only the payloads are followed here.
 */
export function recordedOutputs(
  events: Iterable<{ event: DomainEvent; eventId: string }>,
): Map<string, RecordedOutput> {
  let state = initialProjectState;
  const payloads = new Map<string, EventMap[OutputType]>();
  const corrections = new Map<string, string[]>();
  for (const { event, eventId } of events) {
    state = evolveProject(state, event, eventId);
    if (isOutputType(event.type)) payloads.set(eventId, event.data as EventMap[OutputType]);
    else if (event.type === 'OutputCorrected' && payloads.has(event.data.correctsEventId)) {
      const corrected = event.data.correctsEventId;
      payloads.set(corrected, (event.data.replacement as { data: EventMap[OutputType] }).data);
      corrections.set(corrected, [...(corrections.get(corrected) ?? []), eventId]);
    }
  }
  const outputs = state.status === 'registered' ? [...state.outputs.values()] : [];
  return new Map(
    outputs.map((o) => [
      o.eventId,
      { ...o, data: payloads.get(o.eventId)!, corrections: corrections.get(o.eventId) ?? [] },
    ]),
  );
}
