import { expect } from 'chai';
import pg from 'pg';
import { socQualityOutputs, type DomainEvent } from '@il/domain';
import { comparePositions, type EventStore } from '@il/event-store';
import { createPostgresProjector, projectIndicators } from '../src/index.js';
import { append, projectStream, registerSocQuality, waitForCheckpoint, openViewsFixture } from './fixtures/scenario.js';

describe('indicator views in PostgreSQL (SocQuality)', function () {
  this.timeout(120_000);
  let store: EventStore & { pool: pg.Pool };
  let drop: () => Promise<void>;
  let outputIds: string[];
  let views: pg.Pool;

  before(async () => {
    ({ store, views, close: drop } = await openViewsFixture());
    await registerSocQuality(store);
    outputIds = [];
    for (const o of socQualityOutputs) outputIds.push(...(await append(store, projectStream, [o])));
  });
  after(async () => {
    await drop?.();
  });

  const figures = async (code: string, extra: { partner?: string; asOf?: Date } = {}) => {
    const out: { period: (number | null)[]; cumulative: (number | null)[] } = { period: [], cumulative: [] };
    for (const periodId of ['P1', 'P2', 'P3', 'P4']) {
      const r = await projectIndicators(views, 'LLI-317', { periodId, today: '2026-11-22', ...extra });
      const i = r.indicators.find((x) => x.code === code)!;
      out.period.push(i.periodValue);
      out.cumulative.push(i.cumulativeValue);
    }
    return out;
  };

  it('survives being stopped after every few batches: resumed runs neither lose nor double count', async () => {
    let batches = 0;
    for (let run = 0; run < 50; run++) {
      const projector = await createPostgresProjector({ pool: views, store, batchSize: 7, onBatch: () => batches++ });
      const seen = batches;
      const sub = await projector.start();
      for (let i = 0; i < 200 && batches < seen + 2; i++) await new Promise((r) => setTimeout(r, 10));
      await sub.stop();
      const head = await store.headPosition();
      if (comparePositions((await projector.checkpoint()).position, head.position) >= 0) break;
    }
    const projector = await createPostgresProjector({ pool: views, store });
    const sub = await projector.start();
    await waitForCheckpoint(store, projector.checkpoint);
    await sub.stop();
    expect(batches).to.be.above(3);
    expect(await figures('RCO81')).to.deep.equal({ period: [57, 52, 46, 53], cumulative: [57, 109, 155, 208] });
  });

  it('gives the exact SocQuality numbers per indicator, period and partner', async () => {
    expect(await figures('OBJ')).to.deep.equal({ period: [0, 1, 3, 2], cumulative: [0, 1, 4, 6] });
    expect(await figures('RCO84')).to.deep.equal({ period: [0, 0, 5, 2], cumulative: [0, 0, 5, 7] });
    expect(await figures('RCO87')).to.deep.equal({ period: [8, 0, 0, 0], cumulative: [8, 8, 8, 8] });
    expect(await figures('EXP')).to.deep.equal({ period: [0, 0, 4_500_000, 4_607_982], cumulative: [0, 0, 4_500_000, 9_107_982] });
    expect(await figures('RCO81', { partner: 'LP' })).to.deep.equal({ period: [33, 30, 0, 25], cumulative: [33, 63, 63, 88] });
    const p4 = await projectIndicators(views, 'LLI-317', { periodId: 'P4', today: '2026-11-22' });
    const rco81 = p4.indicators.find((i) => i.code === 'RCO81')!;
    expect(rco81).to.deep.include({ target: 400, cumulativeValue: 208, percentOfTarget: 52 });
    expect(rco81.byPartner.map((b) => [b.partner, b.cumulativeValue])).to.deep.equal([['LP', 88], ['PP4', 28], ['PP6', 26], ['PP7', 42], ['PP8', 24]]);
    expect(p4.elapsedShare).to.equal(1);
    const p2 = await projectIndicators(views, 'LLI-317', { periodId: 'P2', today: '2026-11-22' });
    expect(p2.elapsedShare).to.be.closeTo(365 / 731, 1e-9);
  });

  it('answers as of a recorded instant: a correction recorded later is not visible', async () => {
    const before = new Date();
    await new Promise((r) => setTimeout(r, 20));
    const campEventId = outputIds[socQualityOutputs.findIndex((e) => e.type === 'CampHeld')]!;
    const camp = socQualityOutputs.find((e) => e.type === 'CampHeld')! as Extract<DomainEvent, { type: 'CampHeld' }>;
    await append(store, projectStream, [{ type: 'OutputCorrected', data: { correctsEventId: campEventId, replacement: { ...camp, data: { ...camp.data, participants: { total: 40, crossBorder: 28 } } } } }]);
    const kickOff = outputIds[0]!;
    await append(store, projectStream, [{ type: 'OutputRetracted', data: { retractsEventId: kickOff, reason: 'Duplicate' } }]);
    const projector = await createPostgresProjector({ pool: views, store });
    const sub = await projector.start();
    await waitForCheckpoint(store, projector.checkpoint);
    await sub.stop();
    expect((await figures('RCO81')).cumulative).to.deep.equal([52, 104, 150, 203]);
    expect((await figures('RCO81', { asOf: before })).cumulative).to.deep.equal([57, 109, 155, 208]);
    expect((await figures('RCO115')).cumulative).to.deep.equal([0, 0, 0, 1]);
    expect((await figures('RCO115', { asOf: before })).cumulative).to.deep.equal([1, 1, 1, 2]);
    expect((await figures('RCO81', { asOf: new Date('2000-01-01') })).cumulative).to.deep.equal([0, 0, 0, 0]);
  });
});
