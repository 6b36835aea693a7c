import { expect } from 'chai';
import { NotFoundError, socQualityOutputs } from '@il/domain';
import {
  cachedProjectIndicators,
  postgresQueries,
  programmeIndicators,
  projectIndicators,
  projectsBehindTarget,
  rebuildViews,
  refreshProjectFigures,
} from '../src/index.js';
import {
  append,
  camp,
  openViewsFixture,
  projectStream,
  projectOnce,
  registerSocQuality,
  type ViewsFixture,
} from './fixtures/scenario.js';

describe('live answers kept per version of the views (PostgreSQL)', function () {
  this.timeout(120_000);
  let f: ViewsFixture;

  const project = () => projectOnce(f.store, f.views);
  const byCountry = { groupBy: 'country' as const };

  before(async () => {
    f = await openViewsFixture();
    await registerSocQuality(f.store);
    await append(f.store, projectStream, socQualityOutputs);
    await project();
  });
  after(async () => f?.close());

  describe('programme answers, per programme version', () => {
    it('answers a repeated question from the process until the programme changes, then what a fresh fold answers', async () => {
      const queries = postgresQueries(f.views);
      const first = await queries.programmeIndicators('LV-LT', byCountry);
      expect(first).to.deep.equal(await programmeIndicators(f.views, 'LV-LT', byCountry));
      expect(await queries.programmeIndicators('LV-LT', byCountry)).to.equal(first);
      expect(queries.cacheStats().programme).to.include({ hits: 1, misses: 1 });

      await append(f.store, projectStream, [camp(900)]);
      await project();
      const after = await queries.programmeIndicators('LV-LT', byCountry);
      expect(after).to.deep.equal(await programmeIndicators(f.views, 'LV-LT', byCountry));
      const camps = (a: typeof first) =>
        a.rows.filter((r) => r.indicator === 'RCO81' && r.group === 'LV').map((r) => r.cumulativeValue);
      expect(camps(after), 'the new camp is counted').to.not.deep.equal(camps(first));
      expect(queries.cacheStats().programme).to.include({ hits: 1, misses: 2 });
    });

    it('keeps other questions apart and does not cache as-of answers', async () => {
      const queries = postgresQueries(f.views);
      const byProject = await queries.programmeIndicators('LV-LT', { groupBy: 'project' });
      expect(byProject.groupBy).to.equal('project');
      expect(
        (await queries.programmeIndicators('LV-LT', { ...byCountry, from: '2019-01-01', to: '2019-06-30' })).from,
      ).to.equal('2019-01-01');
      const asOf = new Date();
      await queries.programmeIndicators('LV-LT', { ...byCountry, asOf });
      await queries.programmeIndicators('LV-LT', { ...byCountry, asOf });
      expect(queries.cacheStats().programme).to.include({ hits: 0, misses: 2, size: 2 });

      const q = { threshold: 0.8, today: '2019-06-30' };
      const behind = await queries.projectsBehindTarget('LV-LT', q);
      expect(behind).to.deep.equal(await projectsBehindTarget(f.views, 'LV-LT', q));
      expect(await queries.projectsBehindTarget('LV-LT', q)).to.equal(behind);
      expect(await queries.projectsBehindTarget('LV-LT', { ...q, today: '2019-07-01' })).to.not.equal(behind);
    });

    it('is not reused across a rebuild, whose views start their revisions again', async () => {
      const queries = postgresQueries(f.views);
      await queries.programmeIndicators('LV-LT', byCountry);
      const before = queries.cacheStats().programme;
      const revision = (
        await f.views.query<{ revision: string }>(
          `select revision::text from il_view_programmes where programme_id = 'LV-LT'`,
        )
      ).rows[0]!.revision;
      await rebuildViews(f.url, f.store);
      // The worst case: the rebuilt copy happens to be at the same revision number as the cached answer.
      await f.views.query(`update il_view_programmes set revision = $1 where programme_id = 'LV-LT'`, [revision]);
      const rebuilt = await queries.programmeIndicators('LV-LT', byCountry);
      expect(queries.cacheStats().programme.misses, 'the rebuilt views are a new generation').to.equal(
        before.misses + 1,
      );
      expect(rebuilt).to.deep.equal(await programmeIndicators(f.views, 'LV-LT', byCountry));
    });

    it('still answers not-found for an unknown programme', async () => {
      const queries = postgresQueries(f.views);
      const error = await queries.programmeIndicators('NOPE', byCountry).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(NotFoundError);
    });
  });

  describe('project answers, per project version', () => {
    const today = '2019-06-30';
    const camps = (a: Awaited<ReturnType<typeof projectIndicators>>) =>
      a.indicators.find((i) => i.code === 'RCO81')!.cumulativeValue;

    it('answers a repeated question from the process until the project changes, then what a fresh fold answers', async () => {
      const queries = postgresQueries(f.views);
      const first = await queries.projectIndicators('LLI-317', { today });
      expect(first).to.deep.equal(await projectIndicators(f.views, 'LLI-317', { today }));
      expect(await queries.projectIndicators('LLI-317', { today })).to.equal(first);
      expect(queries.cacheStats().project).to.include({ hits: 1, misses: 1 });

      await append(f.store, projectStream, [camp(901)]);
      await project();
      const after = await queries.projectIndicators('LLI-317', { today });
      expect(after).to.deep.equal(await projectIndicators(f.views, 'LLI-317', { today }));
      expect(camps(after), 'the new camp is counted').to.not.equal(camps(first));
      expect(queries.cacheStats().project).to.include({ hits: 1, misses: 2 });
    });

    it('keeps periods, partners and days apart and does not cache as-of answers', async () => {
      const queries = postgresQueries(f.views);
      const questions = [{ today }, { today, periodId: 'P1' }, { today, partner: 'LP' }, { today: '2019-07-01' }];
      const answers = [];
      for (const q of questions) answers.push(await queries.projectIndicators('LLI-317', q));
      for (const [i, q] of questions.entries())
        expect(answers[i], JSON.stringify(q)).to.deep.equal(await projectIndicators(f.views, 'LLI-317', q));
      expect(answers[1]!.period.id).to.equal('P1');
      expect(answers[3]!.elapsedShare).to.not.equal(answers[0]!.elapsedShare);
      const asOf = new Date();
      await queries.projectIndicators('LLI-317', { today, asOf });
      await queries.projectIndicators('LLI-317', { today, asOf });
      expect(queries.cacheStats().project).to.include({ hits: 0, misses: 4, size: 4 });
    });

    it('is not reused across a rebuild, whose views start their revisions again', async () => {
      const queries = postgresQueries(f.views);
      await queries.projectIndicators('LLI-317', { today });
      const revision = (
        await f.views.query<{ revision: string }>(
          `select revision::text from il_view_projects where project_id = 'LLI-317'`,
        )
      ).rows[0]!.revision;
      await rebuildViews(f.url, f.store);
      await f.views.query(`update il_view_projects set revision = $1 where project_id = 'LLI-317'`, [revision]);
      await queries.projectIndicators('LLI-317', { today });
      expect(queries.cacheStats().project.misses, 'the rebuilt views are a new generation').to.equal(2);
    });

    it('computes and stores the figures of a project it finds stale, once for questions asked together', async () => {
      const queries = postgresQueries(f.views);
      await append(f.store, projectStream, [camp(902)]);
      await project();
      expect(await refreshProjectFigures(f.views, 1000), 'the change left the stored figures stale').to.be.greaterThan(
        0,
      );
      await append(f.store, projectStream, [camp(903)]);
      await project();
      const questions = [
        { today },
        { today, periodId: 'P1' },
        { today, partner: 'LP' },
        { today, periodId: 'P4', partner: 'PP5' },
      ];
      const answers = await Promise.all(questions.map((q) => queries.projectIndicators('LLI-317', q)));
      for (const [i, q] of questions.entries())
        expect(answers[i], JSON.stringify(q)).to.deep.equal(await projectIndicators(f.views, 'LLI-317', q));
      // The others share it, or read what it stored if it finished first.
      expect(queries.cacheStats().figures.misses, 'one computation for the four questions').to.equal(1);
      expect(await refreshProjectFigures(f.views, 1000), 'nothing left for the refresher').to.equal(0);
      expect(await cachedProjectIndicators(f.views, 'LLI-317', { today })).to.deep.equal(answers[0]);
    });

    it('answers from the figures it computed when storing them fails; the refresher reports the failure', async () => {
      const queries = postgresQueries(f.views);
      await append(f.store, projectStream, [camp(904)]);
      await project();
      await f.views.query(
        `create function il_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`,
      );
      await f.views.query(
        'create trigger il_test_refuse before insert or update on il_view_project_figures for each row execute function il_test_refuse()',
      );
      try {
        const q = { today, periodId: 'P2' };
        expect(await queries.projectIndicators('LLI-317', q)).to.deep.equal(
          await projectIndicators(f.views, 'LLI-317', q),
        );
        expect(await cachedProjectIndicators(f.views, 'LLI-317', q), 'nothing was stored').to.equal(undefined);
        expect(
          await refreshProjectFigures(f.views, 1000).then(
            () => 'stored',
            (e: Error) => e.message,
          ),
        ).to.match(/refused/);
      } finally {
        await f.views.query('drop trigger il_test_refuse on il_view_project_figures; drop function il_test_refuse()');
      }
    });

    it('still answers not-found for an unknown project or period', async () => {
      const queries = postgresQueries(f.views);
      for (const ask of [
        () => queries.projectIndicators('NOPE-1', { today }),
        () => queries.projectIndicators('LLI-317', { today, periodId: 'P9' }),
      ]) {
        expect(
          await ask().then(
            () => undefined,
            (e: unknown) => e,
          ),
        ).to.be.instanceOf(NotFoundError);
      }
    });
  });
});
