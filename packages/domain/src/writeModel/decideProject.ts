import { addDays, compareDates } from '../calendar/calendarDate.js';
import { periodContaining } from '../calendar/periods.js';
import { AlreadyExistsError, NotFoundError, ReportUnderReviewError, RuleViolationError } from '../errors.js';
import { occurrenceDate } from '../rules/contributions.js';
import { reportSnapshot } from '../rules/reportSnapshot.js';
import type { DomainEvent, EventMap, EventOf } from '../events/eventSchemas.js';
import type { FieldIssue } from '../events/issues.js';
import type { OutputType } from '../events/outputSchemas.js';
import { datedIn } from './datedIn.js';
import { datesOf, uniqueKeyOf } from './outputKeys.js';
import type { DecisionContext, ProjectCommand } from './projectCommands.js';
import { reportKey, targetKey, type ProjectState, type RegisteredProject, type ReportState } from './projectState.js';

const partnerOf = (data: EventMap[OutputType]) => (data as { partner?: string }).partner;

function registered(state: ProjectState): RegisteredProject {
  if (state.status !== 'registered') throw new NotFoundError('project not found');
  return state;
}

function requirePartner(state: RegisteredProject, code: string | undefined, path = 'partner'): void {
  if (code !== undefined && !state.partners.has(code))
    throw new NotFoundError(`partner ${code} has not joined project ${state.project.projectId} (${path})`);
}

function checkDates(state: RegisteredProject, data: Record<string, unknown>, ctx: DecisionContext, prefix = ''): void {
  const { startDate, endDate } = state.project;
  const latest = addDays(ctx.today, ctx.futureToleranceDays);
  const issues: FieldIssue[] = [];
  for (const { path, date } of datesOf(data)) {
    if (compareDates(date, startDate) < 0 || compareDates(date, endDate) > 0)
      issues.push({ path: prefix + path, message: `must lie within the project dates ${startDate}..${endDate}` });
    else if (compareDates(date, latest) > 0)
      issues.push({
        path: prefix + path,
        message: `lies in the future (today is ${ctx.today} in ${ctx.programme.timeZone})`,
      });
  }
  if (issues.length > 0) throw new RuleViolationError('output dates out of range', issues);
}

function checkUnique(state: RegisteredProject, type: OutputType, data: EventMap[OutputType], self?: string): void {
  const key = uniqueKeyOf(type, data);
  const holder = key ? state.keys.get(key) : undefined;
  if (key && holder && holder !== self) throw new AlreadyExistsError(`${key} is already recorded (event ${holder})`);
}

function recordOutput(state: RegisteredProject, given: EventOf<OutputType>, ctx: DecisionContext): DomainEvent[] {
  const outputType = given.type;
  const data = datedIn(outputType, given.data, ctx.programme.timeZone);
  requirePartner(state, (data as { partner: string }).partner);
  checkDates(state, data, ctx);
  checkUnique(state, outputType, data);
  refuseUnderReview(state, [{ date: occurrenceDate({ type: outputType, data }, ''), partner: partnerOf(data) }]);
  return [{ type: outputType, data } as DomainEvent];
}

function correctOutput(
  state: RegisteredProject,
  event: EventOf<'OutputCorrected'>,
  ctx: DecisionContext,
): DomainEvent[] {
  const original = state.outputs.get(event.data.correctsEventId);
  if (!original)
    throw new NotFoundError(`no output ${event.data.correctsEventId} in project ${state.project.projectId}`);
  if (original.retracted)
    throw new RuleViolationError(`output ${original.eventId} was retracted; record a new output instead`);
  const given = event.data.replacement as { type: OutputType; data: EventMap[OutputType] };
  const replacement = { type: given.type, data: datedIn(given.type, given.data, ctx.programme.timeZone) };
  if (replacement.type !== original.type) {
    throw new RuleViolationError('a correction keeps the output type', [
      { path: 'replacement.type', message: `must be ${original.type}` },
    ]);
  }
  requirePartner(state, (replacement.data as { partner: string }).partner, 'replacement.data.partner');
  checkDates(state, replacement.data, ctx, 'replacement.data.');
  checkUnique(state, replacement.type, replacement.data, original.eventId);
  refuseUnderReview(state, [
    { date: original.date, partner: original.partner },
    { date: occurrenceDate(replacement, ''), partner: partnerOf(replacement.data) },
  ]);
  return [
    replacement.data === given.data
      ? event
      : ({ type: 'OutputCorrected', data: { ...event.data, replacement } } as DomainEvent),
  ];
}

function retractOutput(state: RegisteredProject, event: EventOf<'OutputRetracted'>): DomainEvent[] {
  const original = state.outputs.get(event.data.retractsEventId);
  if (!original)
    throw new NotFoundError(`no output ${event.data.retractsEventId} in project ${state.project.projectId}`);
  if (original.retracted) throw new AlreadyExistsError(`output ${original.eventId} is already retracted`);
  refuseUnderReview(state, [{ date: original.date, partner: original.partner }]);
  return [event];
}

function joinPartner(state: RegisteredProject, event: EventOf<'PartnerJoined'>): DomainEvent[] {
  const p = event.data;
  if (state.partners.has(p.partnerCode)) throw new AlreadyExistsError(`partner ${p.partnerCode} already joined`);
  if (p.role === 'lead' && [...state.partners.values()].some((x) => x.role === 'lead'))
    throw new AlreadyExistsError('the project already has a lead partner');
  if (
    p.joinedOn &&
    (compareDates(p.joinedOn, state.project.startDate) < 0 || compareDates(p.joinedOn, state.project.endDate) > 0)
  ) {
    throw new RuleViolationError('joinedOn out of range', [
      { path: 'joinedOn', message: 'must lie within the project dates' },
    ]);
  }
  return [event];
}

function setTargets(state: RegisteredProject, events: EventOf<'TargetSet'>[], ctx: DecisionContext): DomainEvent[] {
  const codes = new Set(ctx.programme.catalogue.indicators.map((i) => i.code));
  const issues: FieldIssue[] = [];
  events.forEach((e, i) => {
    if (!codes.has(e.data.indicator))
      issues.push({
        path: `targets.${i}.indicator`,
        message: `not in the programme's catalogue (${ctx.programme.catalogue.id})`,
      });
    if (e.data.partner && !state.partners.has(e.data.partner))
      issues.push({ path: `targets.${i}.partner`, message: `partner ${e.data.partner} has not joined` });
  });
  if (issues.length > 0) throw new RuleViolationError('targets refer to unknown indicators or partners', issues);
  // Setting a target to the value it has is not a new fact.
  return events.filter((e) => state.targets.get(targetKey(e.data.indicator, e.data.partner)) !== e.data.value);
}

type ReportEvent = EventOf<'ReportSubmitted' | 'ReportApproved' | 'ReportReopened'>;

const approvedWord = (level: 'partner' | 'project') => (level === 'partner' ? 'certified' : 'verified');

/** Reports of one layer follow each other: the project's reports, or one partner's. */
const sameLayer = (r: ReportState, data: ReportEvent['data']) => r.level === data.level && r.partner === data.partner;

function reportOf(state: RegisteredProject, data: ReportEvent['data']) {
  const index = state.periods.findIndex((p) => p.id === data.periodId);
  if (index < 0) throw new NotFoundError(`project ${state.project.projectId} has no period ${data.periodId}`);
  requirePartner(state, data.partner);
  const key = reportKey(data.periodId, data.partner);
  return { period: state.periods[index]!, index, key, current: state.reports.get(key) };
}

const periodIndex = (state: RegisteredProject, periodId: string) => state.periods.findIndex((p) => p.id === periodId);

function submitReport(
  state: RegisteredProject,
  event: EventOf<'ReportSubmitted'>,
  ctx: DecisionContext,
): DomainEvent[] {
  const { data } = event;
  const { period, index, key, current } = reportOf(state, data);
  if (current?.status === 'submitted') throw new AlreadyExistsError(`report ${key} is already submitted`);
  if (current?.status === 'approved')
    throw new AlreadyExistsError(`report ${key} is already ${approvedWord(data.level)}`);
  // Jems' rule: while the newest report of a layer is reopened with its numbers open, no other one of the layer
  // is submitted (it would build on numbers that may still change).
  const pending = [...state.reports.values()].find(
    (r) => sameLayer(r, data) && r.status === 'reopened' && r.numbers === 'open' && r.periodId !== data.periodId,
  );
  if (pending) {
    throw new RuleViolationError(
      `report ${reportKey(pending.periodId, pending.partner)} is reopened with its numbers open: submit it first`,
    );
  }
  if (current?.status === 'reopened' && current.numbers === 'frozen')
    return [{ type: 'ReportSubmitted', data: { ...data, snapshot: current.snapshot } }];
  if (!ctx.ledger) throw new Error('submitting a report needs the project ledger in the decision context');
  const previous = [...state.reports.values()]
    .filter((r) => sameLayer(r, data) && r.snapshot !== null && periodIndex(state, r.periodId) < index)
    .sort((a, b) => periodIndex(state, b.periodId) - periodIndex(state, a.periodId))[0];
  const snapshot = reportSnapshot({
    catalogue: ctx.programme.catalogue,
    period,
    partner: data.partner,
    targetOf: (indicator) => state.targets.get(targetKey(indicator, data.partner)),
    previous: previous?.snapshot ? { periodId: previous.periodId, snapshot: previous.snapshot } : undefined,
    ledger: ctx.ledger,
  });
  return [{ type: 'ReportSubmitted', data: { ...data, snapshot } }];
}

function approveReport(state: RegisteredProject, event: EventOf<'ReportApproved'>): DomainEvent[] {
  const { key, current } = reportOf(state, event.data);
  const word = approvedWord(event.data.level);
  if (current?.status === 'approved') throw new AlreadyExistsError(`report ${key} is already ${word}`);
  if (current?.status !== 'submitted') throw new RuleViolationError(`only a submitted report can be ${word}`);
  return [event];
}

/** `numbers` is decided here, whatever the command said: open for the newest report of its layer, else frozen. */
function reopenReport(state: RegisteredProject, event: EventOf<'ReportReopened'>): DomainEvent[] {
  const { index, key, current } = reportOf(state, event.data);
  if (current?.status === 'reopened') throw new AlreadyExistsError(`report ${key} is already reopened`);
  if (!current) throw new RuleViolationError('only a submitted, certified or verified report can be reopened');
  const newer = [...state.reports.values()].some(
    (r) => sameLayer(r, event.data) && periodIndex(state, r.periodId) > index,
  );
  return [{ type: 'ReportReopened', data: { ...event.data, numbers: newer ? 'frozen' : 'open' } }];
}

/**
 * The late-change rule: an output, correction or retraction dated in a period whose partner report (of the partner
 * concerned) or project report is submitted — under review — is refused; the reviewer reopens the report to let
 * its numbers change. Once certified or verified (or reopened with its numbers frozen), a change is accepted: live
 * figures show it, the report keeps what it stated, and the next report carries it as an adjustment.
 */
function refuseUnderReview(
  state: RegisteredProject,
  touched: readonly { date: string; partner?: string | undefined }[],
) {
  for (const { date, partner } of touched) {
    const period = periodContaining(state.periods, date);
    if (!period) continue;
    for (const key of [reportKey(period.id), ...(partner ? [reportKey(period.id, partner)] : [])]) {
      if (state.reports.get(key)?.status === 'submitted') {
        throw new ReportUnderReviewError(
          `${date} lies in ${period.id}, whose report ${key} is submitted and under review: it may be reopened to ` +
            'change its numbers; once certified or verified, changes are accepted and carried by the next report',
        );
      }
    }
  }
}

function amend(state: RegisteredProject, event: EventOf<'ProjectAmended'>): DomainEvent[] {
  // Moving the end date earlier could cut off what was already reported; amendments only extend.
  if (compareDates(event.data.endDate, state.project.endDate) <= 0) {
    throw new RuleViolationError('an amendment may only extend the project', [
      { path: 'endDate', message: `must be after ${state.project.endDate}` },
    ]);
  }
  return [event];
}

/** Pure decision: the events a (parsed) command produces on this state, or a typed error. */
export function decideProject(command: ProjectCommand, state: ProjectState, ctx: DecisionContext): DomainEvent[] {
  if (command.type === 'RegisterProject') {
    const event = command.event;
    if (state.status === 'registered')
      throw new AlreadyExistsError(`project ${state.project.projectId} is already registered`);
    if (event.data.programmeId !== ctx.programme.programmeId)
      throw new RuleViolationError('programme mismatch', [
        { path: 'programmeId', message: `must be ${ctx.programme.programmeId}` },
      ]);
    return [event];
  }
  const project = registered(state);
  switch (command.type) {
    case 'AmendProject':
      return amend(project, command.event);
    case 'JoinPartner':
      return joinPartner(project, command.event);
    case 'SetTargets':
      return setTargets(project, command.events, ctx);
    case 'SubmitReport':
      return submitReport(project, command.event, ctx);
    case 'ApproveReport':
      return approveReport(project, command.event);
    case 'ReopenReport':
      return reopenReport(project, command.event);
    case 'RecordOutput':
      return recordOutput(project, command.event, ctx);
    case 'CorrectOutput':
      return correctOutput(project, command.event, ctx);
    case 'RetractOutput':
      return retractOutput(project, command.event);
  }
}
