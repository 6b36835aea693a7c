import { expect } from 'chai';
import type pg from 'pg';
import { socQualityOutputs, firstSocQualityOutput } from '@il/domain';
import type { EventStore } from '@il/event-store';
import {
  cachedProjectIndicators,
  computeAndStoreFigures,
  computeProjectFigures,
  postgresViewRows,
  projectIndicators,
  refreshProjectFigures,
  storeFigures,
} from '../src/index.js';
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
    await append(
      store,
      projectStream,
      Array.from({ length: 20 }, (_, i) => camp(i)),
    );
    const first = firstSocQualityOutput('CampHeld');
    await append(store, projectStream, [
      {
        type: 'OutputCorrected',
        data: {
          correctsEventId: ids[socQualityOutputs.indexOf(first)]!,
          replacement: { ...first, data: { ...first.data, participants: { total: 50, crossBorder: 31 } } },
        },
      },
    ]);
    await append(store, projectStream, [
      { type: 'OutputRetracted', data: { retractsEventId: ids[0]!, reason: 'test' } },
    ]);
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
          expect(await cachedProjectIndicators(views, 'LLI-317', q), JSON.stringify(q)).to.deep.equal(
            await projectIndicators(views, 'LLI-317', q),
          );
        }
      }
    }
  });

  it('is not used for as-of queries, nor once the project has changed, until refreshed', async () => {
    await refreshAll();
    expect(await cachedProjectIndicators(views, 'LLI-317', { today: '2026-11-22', asOf: new Date() })).to.equal(
      undefined,
    );
    await append(store, projectStream, [camp(500)]);
    await project();
    expect(await cachedProjectIndicators(views, 'LLI-317', { today: '2026-11-22' })).to.equal(undefined);
    await refreshAll();
    const cached = await cachedProjectIndicators(views, 'LLI-317', { today: '2026-11-22', periodId: 'P3' });
    expect(cached).to.deep.equal(await projectIndicators(views, 'LLI-317', { today: '2026-11-22', periodId: 'P3' }));
  });

  const stored = async () =>
    (
      await views.query<{ revision: string }>(
        `select revision::text from il_view_project_figures where project_id = 'LLI-317'`,
      )
    ).rows[0]?.revision;
  const revision = async () =>
    (
      await views.query<{ revision: string }>(
        `select revision::text from il_view_projects where project_id = 'LLI-317'`,
      )
    ).rows[0]!.revision;

  it('computes the figures a query finds stale and stores them, so the refresher skips the project', async () => {
    await append(store, projectStream, [camp(501)]);
    await project();
    expect(await stored()).to.not.equal(await revision());
    const computed = await computeAndStoreFigures(views, 'LLI-317');
    expect(computed?.project.projectId).to.equal('LLI-317');
    expect(await stored()).to.equal(await revision());
    expect(await refreshProjectFigures(views)).to.equal(0);
    expect(await computeAndStoreFigures(views, 'LLI-317', { skipIfFresh: true }), 'fresh: nothing to do').to.equal(
      undefined,
    );
    expect(await cachedProjectIndicators(views, 'LLI-317', { today: '2026-11-22' })).to.deep.equal(
      await projectIndicators(views, 'LLI-317', { today: '2026-11-22' }),
    );
    expect(await computeAndStoreFigures(views, 'NOPE-1')).to.equal(undefined);
  });

  it('reads contributions whose text holds the separators it joins fields with, and missing distinct keys', async () => {
    const rows = postgresViewRows(views);
    const reference = async () => {
      const p = (await rows.project('LLI-317'))!;
      return computeProjectFigures(
        p,
        (await rows.catalogue(p.programmeId))!,
        await rows.targets('LLI-317'),
        await rows.contributions({ projectId: 'LLI-317' }),
      );
    };
    const distinct = (await rows.catalogue('LV-LT'))!.indicators.find((i) => i.aggregation === 'count-distinct')!;
    // Written straight into the view: no event schema is needed to reach the reader's fallback.
    const add = (key: string | null) =>
      views.query(
        `insert into il_view_contributions (project_id, partner, indicator, occurred_on, value, distinct_key, output_event_id, source_event_id, source_type, valid_from)
         values ('LLI-317', 'LP', $1, '2018-03-01', 1, $2, gen_random_uuid(), gen_random_uuid(), 'test', now())`,
        [distinct.code, key],
      );
    await add(null);
    expect((await computeAndStoreFigures(views, 'LLI-317'))!.figures).to.deep.equal(await reference());
    for (const key of ['k\u001fy', 'k\u001fz', 'k\u001dy', 'k\u001d\u001fy', '', '\u001e']) {
      await add(key);
      expect((await computeAndStoreFigures(views, 'LLI-317'))!.figures, JSON.stringify(key)).to.deep.equal(
        await reference(),
      );
    }
    await views.query(`delete from il_view_contributions where source_type = 'test'`);
  });

  it('does not store figures computed in a copy of the views that a rebuild has replaced', async () => {
    const computed = (await computeAndStoreFigures(views, 'LLI-317'))!;
    const generation = (await views.query<{ id: string }>('select id::text from il_view_generation')).rows[0]!.id;
    await views.query(`update il_view_project_figures set revision = -1 where project_id = 'LLI-317'`);
    expect(
      await storeFigures(
        views,
        'LLI-317',
        { revision: await revision(), generation: '00000000-0000-4000-8000-000000000000' },
        computed.figures,
      ),
    ).to.equal(false);
    expect(await stored()).to.equal('-1');
    expect(await storeFigures(views, 'LLI-317', { revision: await revision(), generation }, computed.figures)).to.equal(
      true,
    );
    expect(await stored()).to.equal(await revision());
  });
});
