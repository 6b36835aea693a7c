import { expect } from 'chai';
import pg from 'pg';
import type { EventStore } from '@il/event-store';
import { postgresQueries, rebuildApplicationName, rebuildViews } from '../src/index.js';
import {
  append,
  camp,
  openViewsFixture,
  projectOnce,
  projectStream,
  registerSocQuality,
  snapshot,
} from './fixtures/scenario.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('rebuild: a failure ends the rebuild, not the process', function () {
  this.timeout(120_000);
  let url: string;
  let close: () => Promise<void>;
  let store: EventStore & { pool: pg.Pool };
  let views: pg.Pool;

  before(async () => {
    ({ url, store, views, close } = await openViewsFixture());
    await registerSocQuality(store);
    for (let i = 0; i < 20; i++) await append(store, projectStream, [camp(i)]);
    await projectOnce(store, views);
  });
  after(async () => {
    await close?.();
  });

  async function rebuildBackends(admin: pg.Client, deadlineMs = 10_000): Promise<number> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      const { rows } = await admin.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where application_name = $1`,
        [rebuildApplicationName],
      );
      if (rows[0]!.n > 0) return rows[0]!.n;
      if (Date.now() > until) throw new Error('the rebuild opened no connection in time');
      await sleep(20);
    }
  }

  it('survives its connections being terminated, drops its half-built schema and leaves the live views serving', async () => {
    const live = await snapshot(views);
    // Two clients: pg_stat_activity is read once per transaction, so the one watching must not be the one holding.
    const [admin, holder] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    for (const c of [admin, holder]) {
      c.on('error', () => undefined);
      await c.connect();
    }
    try {
      // Hold the switch lock as the schema switch would: the rebuild's projector batches wait behind it, so the
      // rebuild is certainly still building (its admin connection idle in its pool) when its connections go.
      await holder.query('begin');
      await holder.query(`select pg_advisory_xact_lock(hashtextextended('il_views_switch', 0))`);
      const rebuilding = rebuildViews(url, store, { timeoutMs: 1500 }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(await rebuildBackends(admin)).to.be.above(0);
      const { rows } = await admin.query<{ n: number }>(
        `select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1) t`,
        [rebuildApplicationName],
      );
      expect(rows[0]!.n).to.be.above(0);
      await sleep(2000);
      await holder.query('commit');
      const failure = await rebuilding;
      expect(failure, 'the rebuild must fail: it could not catch up while held back').to.be.instanceOf(Error);
      const schemas = await admin.query(`select nspname from pg_namespace where nspname like 'il_views%' order by 1`);
      expect(schemas.rows.map((r: { nspname: string }) => r.nspname)).to.deep.equal(['il_views']);
    } finally {
      await Promise.all([admin.end(), holder.end()]);
    }
    expect(await snapshot(views)).to.deep.equal(live);
    const answer = await postgresQueries(views).projectIndicators('LLI-317', { today: '2026-11-22' });
    expect(answer.indicators.find((i) => i.code === 'RCO81')!.cumulativeValue).to.be.above(0);
  });
});
