import { expect } from 'chai';
import pg from 'pg';
import { socQualityOutputs, type DomainEvent } from '@il/domain';
import type { EventStore } from '@il/event-store';
import { cachedProjectIndicators, projectIndicators, refreshProjectFigures } from '../src/index.js';
import { append, camp, openViewsFixture, projectStream, projectOnce, registerSocQuality } from './fixtures/scenario.js';

describe('project figures cache (PostgreSQL)', function () {
  this.timeout(120_000);
  let store: EventStore;
  let views: pg.Pool;
  let close: () => Promise<void>;
  let ids: string[];

  const project = () => projectOnce(store, views);
  const refreshAll = async () => {
    while ((await refreshProjectFigures(views, 5)) > 0);
  };

  before(async () => {
    ({ store, views, close } = await openViewsFixture());
    await registerSocQuality(store);
    ids = [];
    for (const o of socQualityOutputs) ids.push(...(await append(store, projectStream, [o])));
    await append(store, projectStream, Array.from({ length: 20 }, (_, i) => camp(i)));
    const first = socQualityOutputs.find((e) => e.type === 'CampHeld')! as Extract<DomainEvent, { type: 'CampHeld' }>;
    await append(store, projectStream, [{ type: 'OutputCorrected', data: { correctsEventId: ids[socQualityOutputs.indexOf(first)]!, replacement: { ...first, data: { ...first.data, participants: { total: 50, crossBorder: 31 } } } } }]);
    await append(store, projectStream, [{ type: 'OutputRetracted', data: { retractsEventId: ids[0]!, reason: 'test' } }]);
    await project();
  });
  after(async () => close?.());

  it('answers nothing until the figures are computed, then exactly what the SQL fold answers', async () => {
    expect(await cachedProjectIndicators(views, 'LLI-317', { today: '2026-11-22' })).to.equal(undefined);
    await refreshAll();
    for (const periodId of [undefined, 'P1', 'P2', 'P3', 'P4']) {
      for (const partner of [undefined, 'LP', 'PP5', 'PP9']) {
        for (const today of ['2026-11-22', '2018-09-30', '2017-01-01']) {
          const q = { periodId, partner, today };
          expect(await cachedProjectIndicators(views, 'LLI-317', q), JSON.stringify(q)).to.deep.equal(await projectIndicators(views, 'LLI-317', q));
        }
      }
    }
  });

  it('is not used for as-of queries, nor once the project has changed, until refreshed', async () => {
    await refreshAll();
    expect(await cachedProjectIndicators(views, 'LLI-317', { today: '2026-11-22', asOf: new Date() })).to.equal(undefined);
    await append(store, projectStream, [camp(500)]);
    await project();
    expect(await cachedProjectIndicators(views, 'LLI-317', { today: '2026-11-22' })).to.equal(undefined);
    await refreshAll();
    const cached = await cachedProjectIndicators(views, 'LLI-317', { today: '2026-11-22', periodId: 'P3' });
    expect(cached).to.deep.equal(await projectIndicators(views, 'LLI-317', { today: '2026-11-22', periodId: 'P3' }));
  });
});
