import { expect } from 'chai';
import type pg from 'pg';
import { builtinCatalogues, socQualityOutputs, firstSocQualityOutput, type DomainEvent } from '@il/domain';
import type { EventStore } from '@il/event-store';
import { createPostgresProjector, postgresViewRows, postgresQueries } from '../src/index.js';
import { referenceQueries, type GroupBy } from '@il/projections';
import {
  append,
  camp,
  projectStream,
  registerSocQuality,
  waitForCheckpoint,
  openViewsFixture,
} from './fixtures/scenario.js';

describe('programme aggregation in SQL agrees with the domain fold', function () {
  this.timeout(120_000);
  let store: EventStore;
  let views: pg.Pool;
  let drop: () => Promise<void>;
  let beforeCorrections: Date;

  before(async () => {
    ({ store, views, close: drop } = await openViewsFixture());
    await registerSocQuality(store);
    const ids: string[] = [];
    for (const o of socQualityOutputs) ids.push(...(await append(store, projectStream, [o])));
    for (let i = 0; i < 40; i++) ids.push(...(await append(store, projectStream, [camp(i)])));
    const capacity = (n: number, partner: string, date: string): DomainEvent => ({
      type: 'InfrastructureCompleted',
      data: { partner, objectId: `o-${n % 3}`, name: 'Room', date, capacity: 5 + n },
    });
    for (let i = 0; i < 12; i++)
      ids.push(
        ...(await append(store, projectStream, [
          capacity(i, ['PP2', 'PP5', 'PP8'][i % 3]!, `2019-0${1 + (i % 9)}-1${i % 10}`),
        ])),
      );
    await new Promise((r) => setTimeout(r, 20));
    beforeCorrections = new Date();
    await new Promise((r) => setTimeout(r, 20));
    const firstCamp = firstSocQualityOutput('CampHeld');
    await append(store, projectStream, [
      {
        type: 'OutputCorrected',
        data: {
          correctsEventId: ids[socQualityOutputs.indexOf(firstCamp)]!,
          replacement: { ...firstCamp, data: { ...firstCamp.data, participants: { total: 50, crossBorder: 31 } } },
        },
      },
    ]);
    await append(store, projectStream, [
      { type: 'OutputRetracted', data: { retractsEventId: ids[0]!, reason: 'test' } },
    ]);
    const projector = await createPostgresProjector({ pool: views, store });
    const sub = await projector.start();
    await waitForCheckpoint(store, projector.checkpoint);
    await sub.stop();
  });
  after(async () => {
    await drop?.();
  });

  const windows = [{}, { from: '2019-01-01', to: '2019-06-30' }, { from: '2019-09-01' }, { to: '2018-12-31' }];
  for (const groupBy of ['priority', 'specificObjective', 'country', 'region', 'partner', 'project'] as GroupBy[]) {
    it(`groupBy=${groupBy}: same rows for every window and as-of`, async () => {
      for (const w of windows) {
        for (const asOf of [undefined, beforeCorrections]) {
          const sql = await postgresQueries(views).programmeIndicators('LV-LT', { groupBy, ...w, asOf });
          const memory = await referenceQueries(postgresViewRows(views)).programmeIndicators('LV-LT', {
            groupBy,
            ...w,
            asOf,
          });
          expect(sql, `${JSON.stringify(w)} asOf=${asOf?.toISOString()}`).to.deep.equal(memory);
        }
      }
    });
  }

  it('has data for every kind of aggregation it compares', async () => {
    const r = await postgresQueries(views).programmeIndicators('LV-LT', { groupBy: 'country' });
    for (const code of ['RCO81', 'RCO115', 'OBJ', 'CAP', 'EXP'])
      expect(
        r.rows.some((x) => x.indicator === code && (x.cumulativeValue ?? 0) > 0),
        code,
      ).to.equal(true);
  });
});

describe('project indicators in SQL agree with the domain fold', function () {
  this.timeout(120_000);

  it('for every period, partner and as-of of the SocQuality project with corrections', async () => {
    const { reportingPeriods, socQualityProject, aggregate } = await import('@il/domain');
    const { store, views, close } = await openViewsFixture();
    try {
      await registerSocQuality(store);
      const ids: string[] = [];
      for (const o of socQualityOutputs) ids.push(...(await append(store, projectStream, [o])));
      const middle = new Date();
      await new Promise((r) => setTimeout(r, 20));
      await append(store, projectStream, [
        { type: 'OutputRetracted', data: { retractsEventId: ids[3]!, reason: 'test' } },
      ]);
      const projector = await createPostgresProjector({ pool: views, store });
      const sub = await projector.start();
      await waitForCheckpoint(store, projector.checkpoint);
      await sub.stop();
      const catalogue = builtinCatalogues['interreg-2021-2027']!;
      const periods = reportingPeriods(socQualityProject.startDate, socQualityProject.endDate, 6);
      for (const asOf of [undefined, middle]) {
        const facts = (
          await views.query<{
            partner: string;
            indicator: string;
            date: string;
            value: string;
            distinct_key: string | null;
          }>(
            `select partner, indicator, to_char(occurred_on, 'YYYY-MM-DD') as date, value::text, distinct_key from il_view_contributions c
           where project_id = 'LLI-317' and ($1::timestamptz is null and c.valid_to is null or c.valid_from <= $1 and (c.valid_to is null or c.valid_to > $1)) order by c.id`,
            [asOf ?? null],
          )
        ).rows.map((r) => ({
          partner: r.partner,
          indicator: r.indicator,
          date: r.date,
          value: Number(r.value),
          ...(r.distinct_key === null ? {} : { distinctKey: r.distinct_key }),
        }));
        for (const period of periods) {
          for (const partner of [undefined, 'LP', 'PP5', 'PP8']) {
            const r = await postgresQueries(views).projectIndicators('LLI-317', {
              periodId: period.id,
              partner,
              asOf,
              today: '2026-11-22',
            });
            for (const indicator of catalogue.indicators) {
              const mine = facts.filter((f) => f.indicator === indicator.code);
              // A distinct key counts for the partner of its first occurrence in the project, so partners add up.
              const firsts = new Map<string, (typeof mine)[number]>();
              for (const f of mine) {
                const seen = firsts.get(f.distinctKey ?? '');
                if (!seen || f.date < seen.date) firsts.set(f.distinctKey ?? '', f);
              }
              const distinct = indicator.aggregation === 'count-distinct';
              const scoped = partner
                ? (distinct ? [...firsts.values()] : mine).filter((f) => f.partner === partner)
                : mine;
              const expected = aggregate(distinct && partner ? 'count' : indicator.aggregation, scoped, periods).find(
                (f) => f.periodId === period.id,
              )!;
              const got = r.indicators.find((i) => i.code === indicator.code)!;
              expect(
                { periodValue: got.periodValue, cumulativeValue: got.cumulativeValue },
                `${indicator.code} ${period.id} ${partner} ${asOf?.toISOString()}`,
              ).to.deep.equal({ periodValue: expected.periodValue, cumulativeValue: expected.cumulativeValue });
              if (!partner) {
                const byPartner = [...new Set(mine.map((f) => f.partner))].sort().map((p) => ({
                  partner: p,
                  ...aggregate(
                    distinct ? 'count' : indicator.aggregation,
                    (distinct ? [...firsts.values()] : mine).filter((f) => f.partner === p),
                    periods,
                  ).find((f) => f.periodId === period.id)!,
                }));
                expect(got.byPartner, `${indicator.code} ${period.id} by partner`).to.deep.equal(byPartner);
              }
            }
          }
        }
      }
    } finally {
      await close();
    }
  });
});
