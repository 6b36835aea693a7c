import { expect } from 'chai';
import { NotFoundError, socQualityOutputs } from '@il/domain';
import { createPostgresProjector, postgresQueries, programmeIndicators, projectsBehindTarget, rebuildViews } from '../src/index.js';
import { append, camp, openViewsFixture, projectStream, registerSocQuality, waitForCheckpoint, type ViewsFixture } from './fixtures/scenario.js';

describe('programme answers kept per programme version (PostgreSQL)', function () {
  this.timeout(120_000);
  let f: ViewsFixture;

  const project = async () => {
    const projector = await createPostgresProjector({ pool: f.views, store: f.store });
    const sub = await projector.start();
    await waitForCheckpoint(f.store, projector.checkpoint);
    await sub.stop();
  };
  const byCountry = { groupBy: 'country' as const };

  before(async () => {
    f = await openViewsFixture();
    await registerSocQuality(f.store);
    await append(f.store, projectStream, socQualityOutputs);
    await project();
  });
  after(async () => f?.close());

  it('answers a repeated question from the process until the programme changes, then what a fresh fold answers', async () => {
    const queries = postgresQueries(f.views);
    const first = await queries.programmeIndicators('LV-LT', byCountry);
    expect(first).to.deep.equal(await programmeIndicators(f.views, 'LV-LT', byCountry));
    expect(await queries.programmeIndicators('LV-LT', byCountry)).to.equal(first);
    expect(queries.cacheStats()).to.include({ hits: 1, misses: 1 });

    await append(f.store, projectStream, [camp(900)]);
    await project();
    const after = await queries.programmeIndicators('LV-LT', byCountry);
    expect(after).to.deep.equal(await programmeIndicators(f.views, 'LV-LT', byCountry));
    const camps = (a: typeof first) => a.rows.filter((r) => r.indicator === 'RCO81' && r.group === 'LV').map((r) => r.cumulativeValue);
    expect(camps(after), 'the new camp is counted').to.not.deep.equal(camps(first));
    expect(queries.cacheStats()).to.include({ hits: 1, misses: 2 });
  });

  it('keeps other questions apart and does not cache as-of answers', async () => {
    const queries = postgresQueries(f.views);
    const byProject = await queries.programmeIndicators('LV-LT', { groupBy: 'project' });
    expect(byProject.groupBy).to.equal('project');
    expect((await queries.programmeIndicators('LV-LT', { ...byCountry, from: '2019-01-01', to: '2019-06-30' })).from).to.equal('2019-01-01');
    const asOf = new Date();
    await queries.programmeIndicators('LV-LT', { ...byCountry, asOf });
    await queries.programmeIndicators('LV-LT', { ...byCountry, asOf });
    expect(queries.cacheStats()).to.include({ hits: 0, misses: 2, size: 2 });

    const q = { threshold: 0.8, today: '2019-06-30' };
    const behind = await queries.projectsBehindTarget('LV-LT', q);
    expect(behind).to.deep.equal(await projectsBehindTarget(f.views, 'LV-LT', q));
    expect(await queries.projectsBehindTarget('LV-LT', q)).to.equal(behind);
    expect(await queries.projectsBehindTarget('LV-LT', { ...q, today: '2019-07-01' })).to.not.equal(behind);
  });

  it('is not reused across a rebuild, whose views start their revisions again', async () => {
    const queries = postgresQueries(f.views);
    await queries.programmeIndicators('LV-LT', byCountry);
    const before = queries.cacheStats();
    const revision = (await f.views.query<{ revision: string }>(`select revision::text from il_view_programmes where programme_id = 'LV-LT'`)).rows[0]!.revision;
    await rebuildViews(f.url, f.store);
    // The worst case: the rebuilt copy happens to be at the same revision number as the cached answer.
    await f.views.query(`update il_view_programmes set revision = $1 where programme_id = 'LV-LT'`, [revision]);
    const rebuilt = await queries.programmeIndicators('LV-LT', byCountry);
    expect(queries.cacheStats().misses, 'the rebuilt views are a new generation').to.equal(before.misses + 1);
    expect(rebuilt).to.deep.equal(await programmeIndicators(f.views, 'LV-LT', byCountry));
  });

  it('still answers not-found for an unknown programme', async () => {
    const queries = postgresQueries(f.views);
    const error = await queries.programmeIndicators('NOPE', byCountry).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(NotFoundError);
  });
});
