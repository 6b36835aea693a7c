import { addDays, compareDates } from '../calendar/calendarDate.js';
import { AlreadyExistsError, NotFoundError, RuleViolationError } from '../errors.js';
import type { DomainEvent, EventMap, EventOf } from '../events/eventSchemas.js';
import type { FieldIssue } from '../events/issues.js';
import type { OutputType } from '../events/outputSchemas.js';
import { datedIn } from './datedIn.js';
import { datesOf, uniqueKeyOf } from './outputKeys.js';
import type { DecisionContext, ProjectCommand } from './projectCommands.js';
import { reportKey, targetKey, type ProjectState, type RegisteredProject } from './projectState.js';

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

function report(state: RegisteredProject, event: EventOf<'ReportSubmitted' | 'ReportApproved'>): DomainEvent[] {
  const type = event.type;
  const { periodId, partner } = event.data;
  if (!state.periods.some((p) => p.id === periodId))
    throw new NotFoundError(`project ${state.project.projectId} has no period ${periodId}`);
  requirePartner(state, partner);
  const current = state.reports.get(reportKey(periodId, partner));
  if (type === 'ReportSubmitted' && current === 'approved')
    throw new AlreadyExistsError(`report ${reportKey(periodId, partner)} is already approved`);
  if (type === 'ReportApproved' && current !== 'submitted') {
    throw new RuleViolationError(
      current === 'approved' ? 'report is already approved' : 'only a submitted report can be approved',
    );
  }
  return [event];
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
    case 'ApproveReport':
      return report(project, command.event);
    case 'RecordOutput':
      return recordOutput(project, command.event, ctx);
    case 'CorrectOutput':
      return correctOutput(project, command.event, ctx);
    case 'RetractOutput':
      return retractOutput(project, command.event);
  }
}
