import { expect } from 'chai';
import {
  AlreadyExistsError,
  builtinCatalogues,
  decideProject,
  evolveProject,
  indicatorFigures,
  initialProjectState,
  ledgerOf,
  occurrenceDate,
  NotFoundError,
  parseProjectCommand,
  reportingPeriods,
  ReportUnderReviewError,
  RuleViolationError,
  socQualityOutputs,
  socQualityPartners,
  socQualityProgramme,
  socQualityProject,
  socQualityTargets,
  type DecisionContext,
  type DomainEvent,
  type EventOf,
  type ProjectCommandInput,
  type ProjectState,
  type ReportSnapshot,
} from '../src/index.js';

const catalogue = builtinCatalogues['interreg-2021-2027']!;
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const periods = reportingPeriods(socQualityProject.startDate, socQualityProject.endDate, 6);

/** A stream built up step by step: each decided command's events are appended, as the command runner would. */
function stream(initial: DomainEvent[]) {
  const events = initial.map((event, i) => ({ event, eventId: id(i + 1) }));
  const state = () => events.reduce<ProjectState>((s, e) => evolveProject(s, e.event, e.eventId), initialProjectState);
  const ctx = (): DecisionContext => ({
    programme: { ...socQualityProgramme, catalogue },
    today: '2020-03-01',
    futureToleranceDays: 0,
    ledger: ledgerOf(events, catalogue, socQualityProject.startDate),
  });
  const decide = (command: ProjectCommandInput) => decideProject(parseProjectCommand(command), state(), ctx());
  return {
    events,
    /** Decides and appends; returns what was decided. */
    run(command: ProjectCommandInput): DomainEvent[] {
      const decided = decide(command);
      for (const event of decided) events.push({ event, eventId: id(events.length + 1) });
      return decided;
    },
    refuses(command: ProjectCommandInput, error: new (...a: never[]) => Error): void {
      expect(() => decide(command)).to.throw(error);
    },
    /** The reference figures of the ledger as it is now. */
    figures: () => indicatorFigures(ctx().ledger!, catalogue, periods),
  };
}

const project = (periodId: string, extra: Record<string, unknown> = {}) => ({
  level: 'project',
  periodId,
  reason: 'Reporting deadline',
  snapshot: null,
  ...extra,
});
const submit = (periodId: string, partner?: string): ProjectCommandInput => ({
  type: 'SubmitReport',
  data: partner ? project(periodId, { level: 'partner', partner }) : project(periodId),
});
const approve = (periodId: string, partner?: string): ProjectCommandInput => ({
  type: 'ApproveReport',
  data: { level: partner ? 'partner' : 'project', ...(partner ? { partner } : {}), periodId, reason: 'Checked' },
});
const reopen = (periodId: string, partner?: string): ProjectCommandInput => ({
  type: 'ReopenReport',
  data: {
    level: partner ? 'partner' : 'project',
    ...(partner ? { partner } : {}),
    periodId,
    reason: 'A camp was reported twice',
    numbers: 'open',
  },
});
const record = (e: DomainEvent): ProjectCommandInput => ({
  type: 'RecordOutput',
  outputType: e.type as never,
  data: e.data,
});

const registry: DomainEvent[] = [
  { type: 'ProjectRegistered', data: socQualityProject },
  ...socQualityPartners,
  ...socQualityTargets,
];
/** P1 and P2 outputs only: later periods are recorded by the tests. */
const early = socQualityOutputs.filter((e) => occurrenceDate(e as never, '') <= '2019-02-28');
const camp2: DomainEvent = {
  type: 'CampHeld',
  data: {
    partner: 'PP7',
    campId: 'late-camp',
    startDate: '2018-08-20',
    endDate: '2018-08-24',
    location: 'Biržai',
    country: 'LT',
    participants: { total: 30, crossBorder: 12 },
  },
};
const snapshotOf = (decided: DomainEvent[]): ReportSnapshot =>
  (decided[0] as EventOf<'ReportSubmitted'>).data.snapshot!;
const line = (s: ReportSnapshot, code: string) => s.lines.find((l) => l.indicator === code)!;

describe('the reporting cycle (given events, when a command, then events or a problem)', () => {
  it('stores the numbers of a project report on submission, equal to the reference figures', () => {
    const s = stream([...registry, ...early]);
    const decided = s.run(submit('P1'));
    const snapshot = snapshotOf(decided);
    expect(snapshot.previousPeriodId).to.equal(null);
    for (const f of s.figures()) {
      const l = line(snapshot, f.code);
      expect([l.thisReport, l.cumulative], f.code).to.deep.equal([
        f.periods[0]!.periodValue,
        f.periods[0]!.cumulativeValue,
      ]);
    }
    const rco81 = line(snapshot, 'RCO81');
    expect(rco81.target).to.equal(400);
    expect(rco81.previouslyReported).to.equal(0);
    expect(rco81.adjustment).to.equal(0);
    // The outputs behind the number: the P1 public event, exchange visit and camp (ids 1.. are the registry).
    const p1 = s.events.filter((e) => ['PublicEventHeld', 'ExchangeVisitHeld', 'CampHeld'].includes(e.event.type));
    const inP1 = p1.filter((e) => occurrenceDate(e.event as never, '') <= '2018-08-31');
    expect(rco81.thisReportEvents).to.deep.equal(inP1.map((e) => e.eventId).sort());
    expect(line(snapshot, 'CAP').adjustment, 'a stock has no adjustment').to.equal(null);
  });

  it('moves a report from submitted to verified and refuses every other step', () => {
    const s = stream([...registry, ...early]);
    s.refuses(approve('P1'), RuleViolationError);
    s.refuses(reopen('P1'), RuleViolationError);
    s.refuses(submit('P9'), NotFoundError);
    s.refuses(submit('P1', 'PP99'), NotFoundError);
    s.run(submit('P1'));
    s.refuses(submit('P1'), AlreadyExistsError);
    expect(s.run(approve('P1'))).to.deep.equal([
      { type: 'ReportApproved', data: { level: 'project', periodId: 'P1', reason: 'Checked' } },
    ]);
    s.refuses(approve('P1'), AlreadyExistsError);
    s.refuses(submit('P1'), AlreadyExistsError);
    expect(s.run(reopen('P1'))[0]).to.deep.include({ type: 'ReportReopened' });
    s.refuses(reopen('P1'), AlreadyExistsError);
    s.refuses(approve('P1'), RuleViolationError);
  });

  it('refuses an output dated in a period whose report is under review, and accepts it after verification', () => {
    const s = stream([...registry, ...early]);
    s.run(submit('P1'));
    s.refuses(record(camp2), ReportUnderReviewError);
    s.run(approve('P1'));
    expect(s.run(record(camp2))).to.have.length(1);
  });

  it('refuses corrections and retractions that touch a period under review, from either side', () => {
    const s = stream([...registry, ...early]);
    const visit = s.events.find(
      (e) => e.event.type === 'ExchangeVisitHeld' && occurrenceDate(e.event as never, '') === '2018-10-11',
    )!;
    s.run(submit('P1'));
    // The visit lies in P2 (open); moving it into P1 (under review) is refused, as is retracting a P1 output.
    const dated = (startDate: string, endDate: string) =>
      ({ ...visit.event, data: { ...(visit.event.data as object), startDate, endDate } }) as DomainEvent;
    const moved = dated('2018-08-01', '2018-08-02');
    s.refuses(
      { type: 'CorrectOutput', data: { correctsEventId: visit.eventId, replacement: moved } },
      ReportUnderReviewError,
    );
    const p1camp = s.events.find((e) => e.event.type === 'CampHeld')!;
    s.refuses(
      { type: 'RetractOutput', data: { retractsEventId: p1camp.eventId, reason: 'Twice' } },
      ReportUnderReviewError,
    );
    // A correction within P2 is not affected.
    const within = dated('2018-10-11', '2018-10-12');
    expect(
      s.run({ type: 'CorrectOutput', data: { correctsEventId: visit.eventId, replacement: within } }),
    ).to.have.length(1);
  });

  it('lets a partner report under control block only that partner', () => {
    const s = stream([...registry, ...early]);
    s.run(submit('P1', 'PP7'));
    s.refuses(record(camp2), ReportUnderReviewError);
    const lpCamp = { ...camp2, data: { ...(camp2.data as object), partner: 'LP', campId: 'lp-camp' } } as DomainEvent;
    expect(s.run(record(lpCamp))).to.have.length(1);
    s.run(approve('P1', 'PP7'));
    expect(s.run(record(camp2))).to.have.length(1);
  });

  it('carries a change recorded after verification into the next report as an adjustment', () => {
    const s = stream([...registry, ...early]);
    const p1 = snapshotOf(s.run(submit('P1')));
    s.run(approve('P1'));
    s.run(record(camp2)); // 12 cross-border participants in P1, after its report was verified
    const p2 = snapshotOf(s.run(submit('P2')));
    const [a, b] = [line(p1, 'RCO81'), line(p2, 'RCO81')];
    expect(p2.previousPeriodId).to.equal('P1');
    expect(b.previouslyReported).to.equal(a.cumulative);
    expect(b.adjustment).to.equal(12);
    expect(b.cumulative).to.equal(a.cumulative! + 12 + b.thisReport!);
    const reference = s.figures().find((f) => f.code === 'RCO81')!.periods[1]!;
    expect([b.thisReport, b.cumulative]).to.deep.equal([reference.periodValue, reference.cumulativeValue]);
  });

  it('reopens the newest report with its numbers open, and an older one with its numbers frozen', () => {
    const s = stream([...registry, ...early]);
    const p1 = snapshotOf(s.run(submit('P1')));
    s.run(approve('P1'));
    // Newest: open. Resubmitted after a late camp, its numbers are taken afresh.
    expect((s.run(reopen('P1'))[0] as EventOf<'ReportReopened'>).data.numbers).to.equal('open');
    s.run(record(camp2));
    s.refuses(submit('P2'), RuleViolationError); // P1's numbers are open: it is submitted first
    const again = snapshotOf(s.run(submit('P1')));
    expect(line(again, 'RCO81').thisReport).to.equal(line(p1, 'RCO81').thisReport! + 12);
    s.run(approve('P1'));
    s.run(submit('P2'));
    // Older than P2: frozen. A resubmission states what it stated before, whatever is recorded since.
    expect((s.run(reopen('P1'))[0] as EventOf<'ReportReopened'>).data.numbers).to.equal('frozen');
    const third = { ...camp2, data: { ...(camp2.data as object), campId: 'third', partner: 'LP' } } as DomainEvent;
    s.run(record(third));
    expect(snapshotOf(s.run(submit('P1')))).to.deep.equal(again);
  });

  it('states a partner report with the partner part of each figure', () => {
    const s = stream([...registry, ...socQualityOutputs]);
    const pp5 = snapshotOf(s.run(submit('P3', 'PP5')));
    const reference = s.figures().find((f) => f.code === 'RCO84')!.byPartner['PP5']![2]!;
    expect([line(pp5, 'RCO84').thisReport, line(pp5, 'RCO84').cumulative]).to.deep.equal([
      reference.periodValue,
      reference.cumulativeValue,
    ]);
    expect(line(pp5, 'RCO84').target).to.equal(7);
    expect(line(pp5, 'RCO81').target, 'no partner target').to.equal(null);
  });
});
