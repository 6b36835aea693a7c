import { expect } from 'chai';
import pg from 'pg';
import { startDemoSystem, type TestSystem } from './testSystem.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('POST /v1/admin/rebuild when the database connection is lost', function () {
  this.timeout(120_000);
  let t: TestSystem;
  let admin: string;
  let lastPosition: string;

  before(async () => {
    const demo = await startDemoSystem();
    t = demo;
    admin = demo.admin;
    lastPosition = demo.lastPosition;
  });
  after(async () => {
    await t?.stop();
  });

  const metric = async (line: string) => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    return Number(
      text
        .split('\n')
        .find((l) => l.startsWith(line))
        ?.split(' ')
        .at(-1),
    );
  };

  it('answers a problem, counts the failure, drops its schema, and the process and live views carry on', async () => {
    // Once the demo is projected: the answer after the failed rebuild must be the same.
    const before = await (
      await fetch(`${t.url}/v1/projects/LLI-317/indicators?minPosition=${lastPosition}`, {
        headers: { authorization: admin },
      })
    ).json();
    expect(await metric('il_rebuilds_total{outcome="failed"')).to.equal(0);
    const [watcher, holder] = [
      new pg.Client({ connectionString: t.connectionString }),
      new pg.Client({ connectionString: t.connectionString }),
    ];
    for (const c of [watcher, holder]) {
      c.on('error', () => undefined);
      await c.connect();
    }
    try {
      // A batch in flight, as the live projector's would be: the rebuild's switch waits for it.
      await holder.query('begin');
      await holder.query(`select pg_advisory_xact_lock_shared(hashtextextended('il_views_switch', 0))`);
      const answer = fetch(`${t.url}/v1/admin/rebuild`, { method: 'POST', headers: { authorization: admin } });
      let terminated = 0;
      for (const until = Date.now() + 30_000; terminated === 0; await sleep(20)) {
        expect(Date.now(), 'the rebuild never reached its switch').to.be.below(until);
        const { rows } = await watcher.query<{ n: number }>(
          `select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity
           where application_name = 'il-rebuild' and wait_event_type = 'Lock') t`,
        );
        terminated = rows[0]!.n;
      }
      await holder.query('commit');
      const res = await answer;
      expect(res.status).to.equal(503);
      expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(((await res.json()) as { type: string }).type).to.equal(
        'https://indicator-ledger.dev/problems/store-unavailable',
      );
      const schemas = await watcher.query<{ nspname: string }>(
        `select nspname from pg_namespace where nspname like 'il_views%' order by 1`,
      );
      expect(schemas.rows.map((r) => r.nspname)).to.deep.equal(['il_views']);
    } finally {
      await Promise.all([watcher.end(), holder.end()]);
    }
    expect(await metric('il_rebuilds_total{outcome="failed"')).to.equal(1);
    const after = await fetch(`${t.url}/v1/projects/LLI-317/indicators`, { headers: { authorization: admin } });
    expect(after.status).to.equal(200);
    expect(await after.json()).to.deep.equal(before);
    const retried = await fetch(`${t.url}/v1/admin/rebuild`, { method: 'POST', headers: { authorization: admin } });
    expect(retried.status).to.equal(200);
    expect(await metric('il_rebuilds_total{outcome="succeeded"')).to.equal(1);
  });
});
