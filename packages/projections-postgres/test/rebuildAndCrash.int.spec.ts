import { repoRoot } from '@il/event-store/testing';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import type pg from 'pg';
import type { EventStore } from '@il/event-store';
import { createPostgresProjector, postgresQueries, rebuildViews } from '../src/index.js';
import {
  append,
  camp,
  projectStream,
  registerSocQuality,
  snapshot,
  waitForCheckpoint,
  openViewsFixture,
} from './fixtures/scenario.js';

// The compiled child: it runs as a plain node process.
const child = join(repoRoot(), 'packages', 'projections-postgres', 'dist', 'test', 'fixtures', 'projectorChild.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('projector: kill -9 at any moment, and rebuild beside the live views', function () {
  this.timeout(300_000);
  let url: string;
  let drop: () => Promise<void>;
  let store: EventStore & { pool: pg.Pool };
  let views: pg.Pool;

  before(async () => {
    ({ url, store, views, close: drop } = await openViewsFixture());
    await registerSocQuality(store);
  });
  after(async () => {
    await drop?.();
  });

  it('loses and double-counts nothing when its process is killed mid-stream, again and again', async () => {
    let n = 0;
    for (let round = 0; round < 10; round++) {
      const proc = spawn(process.execPath, [child, url], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Kill only once it runs: on a loaded machine start-up alone can outlast a fixed delay.
      await new Promise<void>((resolve, reject) => {
        proc.stdout.on('data', (c: Buffer) => c.toString().includes('started') && resolve());
        proc.on('exit', (code) => reject(new Error(`projector child exited early (${code})`)));
      });
      const writing = (async () => {
        for (let i = 0; i < 15; i++) await append(store, projectStream, [camp(n++), camp(n++)]);
      })();
      await sleep(Math.floor(Math.random() * 150));
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
      await writing;
    }
    const projector = await createPostgresProjector({ pool: views, store });
    const byChildren = await projector.checkpoint();
    expect(byChildren.globalPosition, 'the killed processes had projected something').to.be.above(0);
    const sub = await projector.start();
    await waitForCheckpoint(store, projector.checkpoint);
    await sub.stop();

    const camps = (
      await views.query<{ n: string }>(
        `select count(*) as n from il_view_contributions where source_type = 'CampHeld' and indicator = 'RCO81'`,
      )
    ).rows[0]!.n;
    expect(Number(camps)).to.equal(n);
    const expectedTotal = Array.from({ length: n }, (_, i) => i % 7).reduce((a, b) => a + b, 0);
    const p4 = await postgresQueries(views).projectIndicators('LLI-317', { periodId: 'P4', today: '2026-11-22' });
    expect(p4.indicators.find((i) => i.code === 'RCO81')!.cumulativeValue).to.equal(expectedTotal);

    const live = await snapshot(views);
    await rebuildViews(url, store);
    expect(await snapshot(views), 'views rebuilt from zero equal the live views, row for row').to.deep.equal(live);
    // The rebuilt tables come with planner statistics: queries right after a switch must not plan blind.
    const analyzed = await views.query<{ relname: string }>(
      `select relname from pg_stat_user_tables where schemaname = 'il_views' and last_analyze is not null`,
    );
    expect(analyzed.rows.map((r) => r.relname)).to.include.members([
      'il_view_contributions',
      'il_view_projects',
      'il_view_partners',
    ]);
  });

  it('rebuilds while the live projector runs and writes continue, then the live projector carries on from the rebuilt checkpoint', async () => {
    const projector = await createPostgresProjector({ pool: views, store, batchSize: 5 });
    const sub = await projector.start();
    await waitForCheckpoint(store, projector.checkpoint);
    let n = 10_000;
    const writing = (async () => {
      for (let i = 0; i < 40; i++) {
        await append(store, projectStream, [camp(n++)]);
        await sleep(5);
      }
    })();
    const served: number[] = [];
    const reading = (async () => {
      for (let i = 0; i < 20; i++) {
        served.push(
          (await postgresQueries(views).projectIndicators('LLI-317', { periodId: 'P4', today: '2026-11-22' }))
            .indicators.length,
        );
        await sleep(10);
      }
    })();
    const result = await rebuildViews(url, store);
    await Promise.all([writing, reading]);
    await append(store, projectStream, [camp(n++)]);
    await waitForCheckpoint(store, projector.checkpoint);
    await sub.stop();

    expect(result.events).to.be.above(0);
    expect(
      served.every((x) => x > 0),
      'live views kept serving during the rebuild',
    ).to.equal(true);
    const live = await snapshot(views);
    const total = (
      await views.query<{ n: string }>(
        `select count(distinct source_event_id) as n from il_view_contributions where source_type = 'CampHeld'`,
      )
    ).rows[0]!.n;
    const stored = (await store.readStream(projectStream)).filter((e) => e.type === 'CampHeld').length;
    expect(Number(total)).to.equal(stored);
    await rebuildViews(url, store);
    expect(await snapshot(views)).to.deep.equal(live);
  });
});

describe('projector: duplicate delivery', function () {
  this.timeout(120_000);

  /** Every camp's RCO81 contribution stored exactly once. */
  async function expectEachCampOnce(views: pg.Pool, camps: number) {
    const rows = (
      await views.query<{ n: string; distinct: string }>(
        `select count(*) as n, count(distinct source_event_id) as distinct from il_view_contributions where source_type = 'CampHeld' and indicator = 'RCO81'`,
      )
    ).rows[0]!;
    expect(Number(rows.n)).to.equal(camps);
    expect(Number(rows.distinct)).to.equal(camps);
  }

  it('applies each event once even when two projectors with the same name run at the same time', async () => {
    const { store, views, close } = await openViewsFixture();
    try {
      await registerSocQuality(store);
      const a = await createPostgresProjector({ pool: views, store, batchSize: 2 });
      const b = await createPostgresProjector({ pool: views, store, batchSize: 3 });
      const [subA, subB] = await Promise.all([a.start(), b.start()]);
      for (let i = 0; i < 60; i++) await append(store, projectStream, [camp(i)]);
      await waitForCheckpoint(store, a.checkpoint);
      await Promise.all([subA.stop(), subB.stop()]);
      await expectEachCampOnce(views, 60);
    } finally {
      await close();
    }
  });

  it('applies the first batch once when two projectors with the same name start on an empty checkpoint together', async () => {
    const { store, views, close } = await openViewsFixture();
    try {
      await registerSocQuality(store);
      for (let i = 0; i < 60; i++) await append(store, projectStream, [camp(i)]);
      // Both read "no checkpoint yet" and take the same first batch, everything so far.
      const [a, b] = await Promise.all([
        createPostgresProjector({ pool: views, store }),
        createPostgresProjector({ pool: views, store }),
      ]);
      const [subA, subB] = await Promise.all([a.start(), b.start()]);
      await waitForCheckpoint(store, a.checkpoint);
      await Promise.all([subA.stop(), subB.stop()]);
      await expectEachCampOnce(views, 60);
    } finally {
      await close();
    }
  });
});
