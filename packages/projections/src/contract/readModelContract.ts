import { expect } from 'chai';
import {
  builtinCatalogues,
  decideProject,
  evolveProject,
  initialProjectState,
  ledgerOf,
  NotFoundError,
  parseProjectCommand,
  readStoredEvent,
  socQualityOutputs,
  socQualityProgramme,
  socQualityProject,
  socQualityProgrammeTargets,
  indicatorFigures,
  transmissionTables,
  type DomainEvent,
  type EventOf,
  type ProjectCommandInput,
  type ProjectState,
} from '@il/domain';
import { comparePositions, startPosition, type EventStore, type StoredEvent } from '@il/event-store';
import type { GroupBy, ReadModels, ViewVersion } from '../port/readModels.js';
import { memoryViewRows } from '../reference/memoryViewRows.js';
import { referenceQueries } from '../reference/referenceQueries.js';
import { append, camp, projectStream, registerSocQuality, waitForCheckpoint } from './scenario.js';

export interface ReadModelFixture {
  /** An event store with no events yet. */
  store: EventStore;
  /** Read models over empty views, fed from `store`. */
  readModels: ReadModels;
  dispose(): Promise<void>;
}

async function everything(store: EventStore): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let position = startPosition;
  for (;;) {
    const page = await store.readAll({ after: position, limit: 1000 });
    if (page.events.length === 0) return out;
    out.push(...page.events);
    position = page.position;
  }
}

const today = '2026-11-22';

/**
 * The read-model port's contract: every adapter runs exactly this suite. Numbers are checked against the SocQuality
 * figures and against the reference folds over views built in memory from the same events.
 */
export function describeReadModelContract(
  name: string,
  makeFixture: () => Promise<ReadModelFixture>,
  options: { skipReason?: string | undefined } = {},
): void {
  describe(`read-model contract: ${name}${options.skipReason ? ` (skipped: ${options.skipReason})` : ''}`, function () {
    this.timeout(180_000);
    let fx: ReadModelFixture;
    const outputIds: string[] = [];
    let beforeCorrections: Date;

    const catchUp = async () => {
      const sub = await fx.readModels.startProjector();
      try {
        await waitForCheckpoint(fx.store, () => fx.readModels.checkpoint());
      } finally {
        await sub.stop();
      }
    };
    const figures = async (code: string, extra: { partner?: string; asOf?: Date } = {}) => {
      const out: { period: (number | null)[]; cumulative: (number | null)[] } = { period: [], cumulative: [] };
      for (const periodId of ['P1', 'P2', 'P3', 'P4']) {
        const i = (await fx.readModels.projectIndicators('LLI-317', { periodId, today, ...extra })).indicators.find(
          (x) => x.code === code,
        )!;
        out.period.push(i.periodValue);
        out.cumulative.push(i.cumulativeValue);
      }
      return out;
    };
    const oracle = async () => referenceQueries(memoryViewRows(await everything(fx.store)));

    before(async function () {
      if (options.skipReason) this.skip();
      fx = await makeFixture();
      await registerSocQuality(fx.store);
      for (const o of socQualityOutputs) outputIds.push(...(await append(fx.store, projectStream, [o])));
    });
    after(async () => fx?.dispose());

    it('survives being stopped after every few batches: resumed runs neither lose nor double count', async () => {
      let batches = 0;
      for (let run = 0; run < 50; run++) {
        const seen = batches;
        const sub = await fx.readModels.startProjector({ batchSize: 7, onBatch: () => batches++ });
        for (let i = 0; i < 200 && batches < seen + 2; i++) await new Promise((r) => setTimeout(r, 10));
        await sub.stop();
        if (
          comparePositions((await fx.readModels.checkpoint()).position, (await fx.store.headPosition()).position) >= 0
        )
          break;
      }
      await catchUp();
      expect(batches).to.be.above(3);
      expect(await figures('RCO81')).to.deep.equal({ period: [57, 52, 46, 53], cumulative: [57, 109, 155, 208] });
    });

    it('gives the exact SocQuality numbers per indicator, period and partner', async () => {
      expect(await figures('OBJ')).to.deep.equal({ period: [0, 1, 3, 2], cumulative: [0, 1, 4, 6] });
      expect(await figures('RCO84')).to.deep.equal({ period: [0, 0, 5, 2], cumulative: [0, 0, 5, 7] });
      expect(await figures('RCO87')).to.deep.equal({ period: [8, 0, 0, 0], cumulative: [8, 8, 8, 8] });
      expect(await figures('EXP')).to.deep.equal({
        period: [0, 0, 4_500_000, 4_607_982],
        cumulative: [0, 0, 4_500_000, 9_107_982],
      });
      expect(await figures('RCO81', { partner: 'LP' })).to.deep.equal({
        period: [33, 30, 0, 25],
        cumulative: [33, 63, 63, 88],
      });
      const p4 = await fx.readModels.projectIndicators('LLI-317', { periodId: 'P4', today });
      const rco81 = p4.indicators.find((i) => i.code === 'RCO81')!;
      expect(rco81).to.deep.include({ target: 400, cumulativeValue: 208, percentOfTarget: 52 });
      expect(rco81.byPartner.map((b) => [b.partner, b.cumulativeValue])).to.deep.equal([
        ['LP', 88],
        ['PP4', 28],
        ['PP6', 26],
        ['PP7', 42],
        ['PP8', 24],
      ]);
      expect(p4.elapsedShare).to.equal(1);
      expect((await fx.readModels.projectIndicators('LLI-317', { periodId: 'P2', today })).elapsedShare).to.be.closeTo(
        365 / 731,
        1e-9,
      );
      expect(await fx.readModels.projectProgramme('LLI-317')).to.equal('LV-LT');
    });

    it("lists programmes, and a programme's projects with their countries and status, filtered", async () => {
      expect(await fx.readModels.listProgrammes()).to.deep.equal([
        { programmeId: 'LV-LT', name: socQualityProgramme.name, timeZone: 'Europe/Riga' },
      ]);
      const lli317 = {
        projectId: 'LLI-317',
        priority: '3',
        specificObjective: '3.1',
        startDate: '2018-03-01',
        endDate: '2020-02-29',
        countries: ['LT', 'LV'],
        status: 'running',
      };
      expect(await fx.readModels.listProjects('LV-LT', { today: '2020-02-29' })).to.deep.equal([lli317]);
      expect(await fx.readModels.listProjects('LV-LT', { today: '2020-03-01', status: 'ended' })).to.deep.equal([
        { ...lli317, status: 'ended' },
      ]);
      expect(await fx.readModels.listProjects('LV-LT', { today: '2018-02-28' })).to.deep.equal([
        { ...lli317, status: 'not-started' },
      ]);
      for (const filter of [
        { country: 'EE' },
        { priority: '1' },
        { specificObjective: '3.2' },
        { status: 'ended' as const },
      ])
        expect(
          await fx.readModels.listProjects('LV-LT', { today: '2020-02-29', ...filter }),
          JSON.stringify(filter),
        ).to.deep.equal([]);
      expect(await fx.readModels.listProjects('NOPE', { today: '2020-02-29' })).to.deep.equal([]);
    });

    it('gives the scope a query is checked against: programme, time zone, catalogue codes, partners', async () => {
      const codes = builtinCatalogues['interreg-2021-2027']!.indicators.map((i) => i.code);
      // The version is what the engine versions its views by (see ViewVersion), checked in the as-of test below.
      const { version: _p, ...programme } = (await fx.readModels.programmeScope('LV-LT'))!;
      const { version: _q, ...project } = (await fx.readModels.projectScope('LLI-317'))!;
      expect(programme).to.deep.equal({
        programmeId: 'LV-LT',
        timeZone: 'Europe/Riga',
        indicators: codes,
      });
      expect(project).to.deep.equal({
        projectId: 'LLI-317',
        programmeId: 'LV-LT',
        timeZone: 'Europe/Riga',
        indicators: codes,
        partners: ['LP', 'PP2', 'PP3', 'PP4', 'PP5', 'PP6', 'PP7', 'PP8'],
      });
    });

    it('answers as of a recorded instant: corrections and retractions recorded later are not visible', async () => {
      // A question asked with the version its scope read, before and after the changes: an answer reused from before
      // them would show the uncorrected numbers.
      const versions = async () => ({
        project: (await fx.readModels.projectScope('LLI-317'))!.version,
        programme: (await fx.readModels.programmeScope('LV-LT'))!.version,
      });
      const cumulativeP4 = async (version: ViewVersion | undefined) =>
        (await fx.readModels.projectIndicators('LLI-317', { periodId: 'P4', today, version })).indicators.find(
          (x) => x.code === 'RCO81',
        )!.cumulativeValue;
      const byCountry = async (version: ViewVersion | undefined) =>
        (await fx.readModels.programmeIndicators('LV-LT', { groupBy: 'country', version })).rows.filter(
          (r) => r.indicator === 'RCO81',
        );
      const before = await versions();
      expect(await cumulativeP4(before.project)).to.equal(208);
      const countriesBefore = await byCountry(before.programme);
      expect(await versions()).to.deep.equal(before);
      beforeCorrections = new Date();
      await new Promise((r) => setTimeout(r, 20));
      const campEventId = outputIds[socQualityOutputs.findIndex((e) => e.type === 'CampHeld')]!;
      const first = socQualityOutputs.find(
        (e): e is Extract<DomainEvent, { type: 'CampHeld' }> => e.type === 'CampHeld',
      )!;
      await append(fx.store, projectStream, [
        {
          type: 'OutputCorrected',
          data: {
            correctsEventId: campEventId,
            replacement: { ...first, data: { ...first.data, participants: { total: 40, crossBorder: 28 } } },
          },
        },
      ]);
      await append(fx.store, projectStream, [
        { type: 'OutputRetracted', data: { retractsEventId: outputIds[0]!, reason: 'Duplicate' } },
      ]);
      await catchUp();
      const after = await versions();
      if (before.project) {
        // Versioned views: the project's revision and its programme's moved with the changes, in one generation.
        expect(after.project!.revision).to.be.above(before.project.revision);
        expect(after.programme!.revision).to.be.above(before.programme!.revision);
        expect(after.project!.generation).to.equal(before.project.generation);
      } else expect(after).to.deep.equal({ project: undefined, programme: undefined });
      expect(await cumulativeP4(after.project)).to.equal(203);
      expect(await byCountry(after.programme)).to.not.deep.equal(countriesBefore);
      // The programme registered again (its catalogue names and rules every project's indicators): its projects'
      // versions move too.
      await append(fx.store, 'programme-LV-LT', [
        {
          type: 'ProgrammeRegistered',
          data: { ...socQualityProgramme, catalogue: builtinCatalogues['interreg-2021-2027']! },
        },
      ]);
      await catchUp();
      if (after.project) expect((await versions()).project!.revision).to.be.above(after.project.revision);
      expect((await figures('RCO81')).cumulative).to.deep.equal([52, 104, 150, 203]);
      expect((await figures('RCO81', { asOf: beforeCorrections })).cumulative).to.deep.equal([57, 109, 155, 208]);
      expect((await figures('RCO115')).cumulative).to.deep.equal([0, 0, 0, 1]);
      expect((await figures('RCO115', { asOf: beforeCorrections })).cumulative).to.deep.equal([1, 1, 1, 2]);
      expect((await figures('RCO81', { asOf: new Date('2000-01-01') })).cumulative).to.deep.equal([0, 0, 0, 0]);
    });

    it('lists the evidence behind a number, as of a recorded instant too', async () => {
      for (const asOf of [undefined, beforeCorrections]) {
        const p1 = await fx.readModels.indicatorEvidence('LLI-317', 'RCO81', { periodId: 'P1', asOf });
        const figure = (
          await fx.readModels.projectIndicators('LLI-317', { periodId: 'P1', today, asOf })
        ).indicators.find((i) => i.code === 'RCO81')!;
        expect(p1.events.reduce((s, e) => s + e.value, 0)).to.equal(figure.periodValue);
        expect(p1.events.every((e) => e.date >= p1.period.start && e.date <= p1.period.end)).to.equal(true);
        expect(p1).to.deep.equal(
          await (await oracle()).indicatorEvidence('LLI-317', 'RCO81', { periodId: 'P1', asOf }),
        );
      }
      const all = await fx.readModels.indicatorEvidence('LLI-317', 'RCO81', {});
      expect(all.events.map((e) => e.date)).to.deep.equal([...all.events.map((e) => e.date)].sort());
    });

    it('agrees with the reference folds for every project query: period, partner and as-of', async () => {
      await append(
        fx.store,
        projectStream,
        Array.from({ length: 30 }, (_, i) => camp(i)),
      );
      await append(
        fx.store,
        projectStream,
        Array.from({ length: 9 }, (_, i): DomainEvent => ({
          type: 'InfrastructureCompleted',
          data: {
            partner: ['PP2', 'PP5', 'PP8'][i % 3]!,
            objectId: `o-${i % 3}`,
            name: 'Room',
            date: `2019-0${1 + i}-15`,
            capacity: 5 + i,
          },
        })),
      );
      await catchUp();
      const reference = await oracle();
      for (const asOf of [undefined, beforeCorrections]) {
        for (const periodId of ['P1', 'P2', 'P3', 'P4']) {
          for (const partner of [undefined, 'LP', 'PP5']) {
            const q = { periodId, partner, asOf, today };
            expect(await fx.readModels.projectIndicators('LLI-317', q), JSON.stringify(q)).to.deep.equal(
              await reference.projectIndicators('LLI-317', q),
            );
          }
        }
      }
      expect(await fx.readModels.projectsBehindTarget('LV-LT', { threshold: 0.8, today: '2019-06-30' })).to.deep.equal(
        await reference.projectsBehindTarget('LV-LT', { threshold: 0.8, today: '2019-06-30' }),
      );
    });

    const windows = [{}, { from: '2019-01-01', to: '2019-06-30' }, { from: '2019-09-01' }, { to: '2018-12-31' }];
    it('agrees with the reference folds for every programme grouping, window and as-of', async () => {
      const reference = await oracle();
      for (const groupBy of [
        'priority',
        'specificObjective',
        'country',
        'region',
        'partner',
        'project',
        'period',
      ] as GroupBy[]) {
        for (const w of windows) {
          for (const asOf of [undefined, beforeCorrections]) {
            const q = { groupBy, ...w, asOf, ...(groupBy === 'period' ? { granularity: 'quarter' as const } : {}) };
            expect(await fx.readModels.programmeIndicators('LV-LT', q), JSON.stringify(q)).to.deep.equal(
              await reference.programmeIndicators('LV-LT', q),
            );
          }
        }
      }
      const byCountry = await fx.readModels.programmeIndicators('LV-LT', { groupBy: 'country' });
      for (const code of ['RCO81', 'RCO115', 'OBJ', 'CAP', 'EXP'])
        expect(
          byCountry.rows.some((x) => x.indicator === code && (x.cumulativeValue ?? 0) > 0),
          code,
        ).to.equal(true);
    });

    it('answers not found for unknown projects, programmes and periods', async () => {
      expect(await fx.readModels.projectProgramme('NOPE-1')).to.equal(undefined);
      expect(await fx.readModels.projectScope('NOPE-1')).to.equal(undefined);
      expect(await fx.readModels.programmeScope('NOPE')).to.equal(undefined);
      for (const work of [
        () => fx.readModels.projectIndicators('NOPE-1', { today }),
        () => fx.readModels.projectIndicators('LLI-317', { today, periodId: 'P9' }),
        () => fx.readModels.indicatorEvidence('NOPE-1', 'RCO81', {}),
        () => fx.readModels.programmeIndicators('NOPE', { groupBy: 'project' }),
      ]) {
        expect(
          await work().then(
            () => undefined,
            (e: unknown) => e,
          ),
        ).to.be.instanceOf(NotFoundError);
      }
    });

    /** Decides a report command on the stream as stored, as the write side does, and appends what it decides. */
    async function report(input: ProjectCommandInput): Promise<DomainEvent> {
      const catalogue = builtinCatalogues['interreg-2021-2027']!;
      const events = (await fx.store.readStream(projectStream)).map((e) => ({
        event: readStoredEvent(e.type, e.schemaVersion, e.data),
        eventId: e.eventId,
      }));
      const state = events.reduce<ProjectState>((st, e) => evolveProject(st, e.event, e.eventId), initialProjectState);
      const [decided] = decideProject(parseProjectCommand(input), state, {
        programme: { ...socQualityProgramme, catalogue },
        today,
        futureToleranceDays: 0,
        ledger: ledgerOf(events, catalogue, socQualityProject.startDate),
      });
      await append(fx.store, projectStream, [decided!]);
      return decided!;
    }
    const submit = async (periodId: string, partner?: string) =>
      (
        (await report({
          type: 'SubmitReport',
          data: {
            level: partner ? 'partner' : 'project',
            ...(partner ? { partner } : {}),
            periodId,
            reason: 'Due',
            snapshot: null,
          },
        })) as EventOf<'ReportSubmitted'>
      ).data.snapshot!;

    it('keeps every report transition with the numbers it stated, and answers each basis from them', async () => {
      const p1 = await submit('P1');
      await report({ type: 'ApproveReport', data: { level: 'project', periodId: 'P1', reason: 'Verified' } });
      await catchUp();
      const beforeP2 = new Date();
      await new Promise((r) => setTimeout(r, 5));
      const p2 = await submit('P2');
      const pp7 = await submit('P2', 'PP7');
      await catchUp();
      const reports = await fx.readModels.projectReports('LLI-317', {});
      expect(reports.map((r) => [r.periodId, r.partner, r.status])).to.deep.equal([
        ['P1', null, 'verified'],
        ['P2', null, 'submitted'],
        ['P2', 'PP7', 'submitted'],
      ]);
      const asOf = await fx.readModels.projectReports('LLI-317', { asOf: beforeP2 });
      expect(asOf.map((r) => r.periodId)).to.deep.equal(['P1']);
      const view = await fx.readModels.projectReport('LLI-317', { periodId: 'P2' }, {});
      expect(view.latest).to.deep.include({ period: p2.period, previousPeriodId: 'P1', lines: p2.lines });
      expect(view.history.map((h) => h.transition)).to.deep.equal(['submitted']);
      const partner = await fx.readModels.reportSubmission('LLI-317', { periodId: 'P2', partner: 'PP7' }, 1);
      expect(partner.lines).to.deep.equal(pp7.lines);
      // Each basis reads the figures its report stated.
      for (const [basis, stated] of [
        ['verified', p1],
        ['submitted', p2],
      ] as const) {
        const answer = await fx.readModels.projectIndicators('LLI-317', { periodId: stated.period.id, today, basis });
        expect(answer.basisReport?.periodId, basis).to.equal(stated.period.id);
        for (const line of stated.lines) {
          const i = answer.indicators.find((x) => x.code === line.indicator)!;
          expect([i.periodValue, i.cumulativeValue], `${basis} ${line.indicator}`).to.deep.equal([
            line.thisReport,
            line.cumulative,
          ]);
        }
      }
      // A camp in P1, recorded after its verification: live, not in the reports, and explained.
      const late: DomainEvent = {
        ...camp(8),
        data: { ...(camp(8).data as object), startDate: '2018-06-05', endDate: '2018-06-05', campId: 'late' },
      } as DomainEvent;
      const [lateId] = await append(fx.store, projectStream, [late]);
      await catchUp();
      const changes = await fx.readModels.changesSinceReport('LLI-317', {});
      const rco81 = changes.indicators.find((i) => i.code === 'RCO81')!;
      expect(changes.report).to.deep.include({ periodId: 'P2', submission: 1 });
      expect(rco81.difference).to.equal(
        (late.data as { participants: { crossBorder: number } }).participants.crossBorder,
      );
      expect(rco81.difference).to.be.above(0);
      expect(rco81.added.map((a) => a.outputEventId)).to.deep.equal([lateId]);
      const verified = await fx.readModels.projectIndicators('LLI-317', { periodId: 'P1', today, basis: 'verified' });
      expect(verified.indicators.find((i) => i.code === 'RCO81')!.cumulativeValue).to.equal(
        p1.lines.find((l) => l.indicator === 'RCO81')!.cumulative,
      );
      const ref = await oracle();
      expect(await fx.readModels.changesSinceReport('LLI-317', { partner: 'PP7' })).to.deep.equal(
        await ref.changesSinceReport('LLI-317', { partner: 'PP7' }),
      );
      expect(await fx.readModels.projectReport('LLI-317', { periodId: 'P1' }, {})).to.deep.equal(
        await ref.projectReport('LLI-317', { periodId: 'P1' }, {}),
      );
      for (const basis of ['recorded', 'submitted', 'verified'] as const)
        expect(await fx.readModels.projectIndicators('LLI-317', { periodId: 'P4', today, basis })).to.deep.equal(
          await ref.projectIndicators('LLI-317', { periodId: 'P4', today, basis }),
        );
      // The programme's questions on a basis: each project as its basis report stated.
      const byProject = await fx.readModels.programmeIndicators('LV-LT', { groupBy: 'project', basis: 'verified' });
      expect(byProject.basis).to.equal('verified');
      expect(byProject.rows.find((r) => r.group === 'LLI-317' && r.indicator === 'RCO81')?.cumulativeValue).to.equal(
        p1.lines.find((l) => l.indicator === 'RCO81')!.cumulative,
      );
      for (const basis of ['submitted', 'verified'] as const) {
        for (const groupBy of ['project', 'country', 'priority', 'period'] as const)
          expect(
            await fx.readModels.programmeIndicators('LV-LT', { groupBy, basis }),
            `${groupBy} ${basis}`,
          ).to.deep.equal(await ref.programmeIndicators('LV-LT', { groupBy, basis }));
        const behind = { threshold: 0.9, today: '2019-03-01', basis };
        expect(await fx.readModels.projectsBehindTarget('LV-LT', behind)).to.deep.equal(
          await ref.projectsBehindTarget('LV-LT', behind),
        );
      }
      const series = await fx.readModels.programmeIndicators('LV-LT', { groupBy: 'period', basis: 'verified' });
      expect(series.rows.filter((r) => r.indicator === 'RCO81').at(-1)?.cumulativeValue).to.equal(
        p1.lines.find((l) => l.indicator === 'RCO81')!.cumulative,
      );
      for (const work of [
        () => fx.readModels.projectReport('LLI-317', { periodId: 'P3' }, {}),
        () => fx.readModels.reportSubmission('LLI-317', { periodId: 'P1' }, 2),
        () => fx.readModels.changesSinceReport('LLI-317', { partner: 'PP2' }),
      ]) {
        expect(
          await work().then(
            () => undefined,
            (e: unknown) => e,
          ),
        ).to.be.instanceOf(NotFoundError);
      }
    });

    it('answers as of an instant with the contract as recorded then: end date, periods, targets', async () => {
      await catchUp();
      const before = new Date();
      await new Promise((r) => setTimeout(r, 5));
      await append(fx.store, projectStream, [
        { type: 'ProjectAmended', data: { endDate: '2020-08-31', reason: 'Contract amendment: six more months' } },
        { type: 'TargetSet', data: { indicator: 'RCO81', value: 500 } },
        { type: 'TargetSet', data: { indicator: 'RCO116', value: 2, partner: 'LP' } },
      ]);
      await catchUp();
      const live = await fx.readModels.projectIndicators('LLI-317', { periodId: 'P5', today: '2020-05-31' });
      expect(live.period).to.deep.equal({ id: 'P5', start: '2020-03-01', end: '2020-08-31' });
      expect(live.indicators.find((i) => i.code === 'RCO81')!.target).to.equal(500);
      const then = { today: '2020-02-29', asOf: before };
      const p4 = await fx.readModels.projectIndicators('LLI-317', { ...then, periodId: 'P4' });
      expect(p4.period.end, 'P4 as it was: the last period, ending on the leap day').to.equal('2020-02-29');
      expect(p4.elapsedShare).to.equal(1);
      expect(p4.indicators.find((i) => i.code === 'RCO81')!.target).to.equal(400);
      const lp = await fx.readModels.projectIndicators('LLI-317', { ...then, periodId: 'P4', partner: 'LP' });
      expect(lp.indicators.find((i) => i.code === 'RCO116')!.target, 'set later').to.equal(null);
      expect(
        await fx.readModels.projectIndicators('LLI-317', { ...then, periodId: 'P5' }).then(
          () => undefined,
          (e: unknown) => e,
        ),
        'P5 did not exist then',
      ).to.be.instanceOf(NotFoundError);
      const ref = await oracle();
      for (const q of [
        { ...then, periodId: 'P4' },
        { ...then, periodId: 'P4', partner: 'LP' },
        { today: '2020-05-31', periodId: 'P5' },
      ])
        expect(await fx.readModels.projectIndicators('LLI-317', q)).to.deep.equal(
          await ref.projectIndicators('LLI-317', q),
        );
      const behind = { threshold: 1, today: '2020-02-29', asOf: before };
      expect(await fx.readModels.projectsBehindTarget('LV-LT', behind)).to.deep.equal(
        await ref.projectsBehindTarget('LV-LT', behind),
      );
      const elapsed = (await fx.readModels.projectsBehindTarget('LV-LT', behind)).projects.find(
        (p) => p.projectId === 'LLI-317',
      )?.elapsedShare;
      expect(elapsed, 'the time elapsed of the contract then').to.equal(1);
    });

    it('answers the transmission tables of a multi-project programme as a from-scratch fold says', async () => {
      const catalogue = builtinCatalogues['interreg-2021-2027']!;
      await append(
        fx.store,
        'programme-LV-LT',
        socQualityProgrammeTargets.map((data) => ({ type: 'ProgrammeTargetSet', data })),
      );
      await catchUp();
      const beforeSecond = new Date();
      await new Promise((r) => setTimeout(r, 5));
      // A second operation of SO 3.1 and one of SO 4.1, with targets and outputs of their own.
      const other = (projectId: string, specificObjective: string) => ({
        ...socQualityProject,
        projectId,
        specificObjective,
      });
      for (const [projectId, so] of [
        ['LLI-900', '3.1'],
        ['LLI-901', '4.1'],
      ] as const) {
        const stream = `project-${projectId}`;
        await append(fx.store, stream, [
          { type: 'ProjectRegistered', data: other(projectId, so) },
          {
            type: 'PartnerJoined',
            data: { partnerCode: 'LP', name: 'Lead', country: 'LV', nuts3: 'LV009', role: 'lead' },
          },
          { type: 'TargetSet', data: { indicator: 'RCO81', value: 250 } },
          camp(3),
          camp(4),
          { ...camp(5), data: { ...(camp(5).data as object), partner: 'LP' } } as DomainEvent,
        ]);
      }
      const sub = await fx.readModels.startProjector();
      try {
        await waitForCheckpoint(fx.store, () => fx.readModels.checkpoint(), 30_000, [
          projectStream,
          'project-LLI-900',
          'project-LLI-901',
        ]);
      } finally {
        await sub.stop();
      }
      const asOf = new Date();
      const cutOff = '2019-06-30';
      // The reference: each project's stream folded from scratch up to the cut-off, then the domain's table rules.
      const operations = [];
      for (const projectId of ['LLI-317', 'LLI-900', 'LLI-901']) {
        const stored = await fx.store.readStream(`project-${projectId}`);
        const events = stored.map((e) => ({
          event: readStoredEvent(e.type, e.schemaVersion, e.data),
          eventId: e.eventId,
        }));
        const state = events.reduce<ProjectState>(
          (st, e) => evolveProject(st, e.event, e.eventId),
          initialProjectState,
        );
        if (state.status !== 'registered') throw new Error('not registered');
        const figures = indicatorFigures(ledgerOf(events, catalogue, state.project.startDate), catalogue, [
          { id: 'cut', start: state.project.startDate, end: cutOff },
        ]);
        operations.push({
          projectId,
          priority: state.project.priority,
          specificObjective: state.project.specificObjective,
          targets: new Map([...state.targets].filter(([k]) => !k.includes('@'))),
          achieved: new Map(figures.map((f) => [f.code, f.periods[0]!.cumulativeValue])),
        });
      }
      const expected = transmissionTables({
        programmeId: 'LV-LT',
        cutOff,
        asOf: asOf.toISOString(),
        basis: 'recorded',
        catalogue,
        targets: socQualityProgrammeTargets,
        operations,
      });
      const got = await fx.readModels.transmissionTables('LV-LT', { cutOff, asOf, basis: 'recorded' });
      expect(got).to.deep.equal(expected);
      const rco81 = got.outputs.find((r) => r.indicator === 'RCO81')!;
      expect(rco81.selectedOperations, "SocQuality's target (500 since the amendment) and LLI-900's").to.equal(750);
      // As of before the second project: it was not a selected operation yet.
      const earlier = await fx.readModels.transmissionTables('LV-LT', {
        cutOff,
        asOf: beforeSecond,
        basis: 'recorded',
      });
      expect(earlier.outputs.find((r) => r.indicator === 'RCO81')!.selectedOperations).to.equal(500);
      const ref = await oracle();
      for (const q of [
        { cutOff, asOf, basis: 'recorded' as const },
        { cutOff: '2020-02-29', asOf, basis: 'verified' as const },
        { cutOff, asOf: beforeSecond, basis: 'submitted' as const },
      ])
        expect(await fx.readModels.transmissionTables('LV-LT', q)).to.deep.equal(
          await ref.transmissionTables('LV-LT', q),
        );
    });

    it('rebuilds from position 0 to the same answers, and the live projector carries on after the switch', async () => {
      const before = await fx.readModels.programmeIndicators('LV-LT', { groupBy: 'partner' });
      const reportsBefore = await fx.readModels.projectReport('LLI-317', { periodId: 'P2' }, {});
      const live = await fx.readModels.startProjector();
      try {
        const result = await fx.readModels.rebuild();
        expect(result.events).to.equal((await everything(fx.store)).length);
        expect(await fx.readModels.programmeIndicators('LV-LT', { groupBy: 'partner' })).to.deep.equal(before);
        expect(await fx.readModels.projectReport('LLI-317', { periodId: 'P2' }, {})).to.deep.equal(reportsBefore);
        await append(fx.store, projectStream, [camp(99)]);
        await waitForCheckpoint(fx.store, () => fx.readModels.checkpoint());
      } finally {
        await live.stop();
      }
      const after = await fx.readModels.projectIndicators('LLI-317', { today });
      expect(after).to.deep.equal(await (await oracle()).projectIndicators('LLI-317', { today }));
    });
  });
}
