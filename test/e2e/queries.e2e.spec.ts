import { repoRoot } from '@il/event-store/testing';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import pg from 'pg';
import type { RunningService } from '@il/runtime';
import { loadSocQuality } from '@il/standalone';
import { startTestSystem } from './testSystem.js';
import { bearer } from './auth.js';

const root = repoRoot();

describe('query API over HTTP: SocQuality indicator progress', function () {
  this.timeout(120_000);
  let system: RunningService;
  let drop: () => Promise<void>;
  let position: string;
  let outputIds: string[];
  let url: string;

  let admin: string;
  before(async () => {
    admin = await bearer();
    ({ system, connectionString: url, stop: drop } = await startTestSystem());
    const loaded = await loadSocQuality(system.url, { authorization: admin });
    position = loaded.lastPosition;
    outputIds = loaded.outputEventIds;
  });
  after(async () => {
    await drop?.();
  });

  const get = async (path: string) => {
    const res = await fetch(`${system.url}${path}`, { headers: { authorization: admin } });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      text,
      body: res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, any>) : {},
    };
  };
  const indicator = (body: Record<string, any>, code: string) =>
    (body['indicators'] as Record<string, any>[]).find((i) => i['code'] === code)!;

  it("waits for the projector to reach a write's position, then answers exact numbers per period", async () => {
    const p3 = await get(`/v1/projects/LLI-317/indicators?period=P3&minPosition=${position}`);
    expect(p3.status).to.equal(200);
    expect(indicator(p3.body, 'RCO81')).to.deep.include({
      periodValue: 46,
      cumulativeValue: 155,
      target: 400,
      percentOfTarget: 38.75,
      unit: 'participations',
    });
    expect(indicator(p3.body, 'OBJ')).to.deep.include({ periodValue: 3, cumulativeValue: 4, target: 6 });
    expect(p3.body['period']).to.deep.equal({ id: 'P3', start: '2019-03-01', end: '2019-08-31' });
    const p4 = await get('/v1/projects/LLI-317/indicators?period=P4');
    expect(indicator(p4.body, 'EXP')).to.deep.include({ periodValue: 4_607_982, cumulativeValue: 9_107_982 });
    expect(indicator(p4.body, 'RCO84').byPartner).to.deep.equal([
      { partner: 'PP5', periodId: 'P4', periodValue: 2, cumulativeValue: 7 },
    ]);
    const pp5 = await get('/v1/projects/LLI-317/indicators?period=P4&partner=PP5');
    expect(indicator(pp5.body, 'RCO84')).to.deep.include({ cumulativeValue: 7, target: 7, percentOfTarget: 100 });
  });

  it('lists the events behind a number', async () => {
    const r = await get('/v1/projects/LLI-317/indicators/OBJ/evidence?period=P4');
    expect(
      r.body['events'].map((e: Record<string, unknown>) => [e['type'], e['distinctKey'], e['date']]),
    ).to.deep.equal([
      ['InfrastructureCompleted', 'joniskis-youth-centre', '2019-09-26'],
      ['InfrastructureCompleted', 'viesite-day-centre', '2019-11-15'],
      ['InfrastructureCompleted', 'dobele-multifunctional-centre', '2019-12-18'],
    ]);
  });

  it('aggregates a programme by country, as JSON and CSV', async () => {
    const r = await get('/v1/programmes/LV-LT/indicators?groupBy=country');
    const rco81 = r.body['rows'].filter((x: Record<string, unknown>) => x['indicator'] === 'RCO81');
    expect(rco81.map((x: Record<string, unknown>) => [x['group'], x['value']])).to.deep.equal([
      ['LT', 92],
      ['LV', 116],
    ]);
    const obj = r.body['rows'].filter((x: Record<string, unknown>) => x['indicator'] === 'OBJ');
    expect(obj.map((x: Record<string, unknown>) => [x['group'], x['value']])).to.deep.equal([
      ['LT', 2],
      ['LV', 4],
    ]);
    const csv = await get('/v1/programmes/LV-LT/indicators?groupBy=period&granularity=year&format=csv');
    expect(csv.type).to.match(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).to.equal('indicator,name,unit,group,value,cumulativeValue');
    expect(lines.filter((l) => l.startsWith('RCO81,'))).to.deep.equal([
      'RCO81,Participations in joint actions across borders,participations,2018,79,79',
      'RCO81,Participations in joint actions across borders,participations,2019,104,183',
      'RCO81,Participations in joint actions across borders,participations,2020,25,208',
    ]);
  });

  it('answers as of a recorded instant: the secretariat sees what was reported then', async () => {
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const res = await fetch(`${system.url}/v1/projects/LLI-317/retractions`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ retractsEventId: outputIds[0], reason: 'Kick-off was not cross-border' }),
    });
    const written = (await res.json()) as { position: string };
    const now = await get(`/v1/projects/LLI-317/indicators?period=P1&minPosition=${written.position}`);
    expect(indicator(now.body, 'RCO81').cumulativeValue).to.equal(42);
    const then = await get(`/v1/projects/LLI-317/indicators?period=P1&asOf=${encodeURIComponent(before)}`);
    expect(indicator(then.body, 'RCO81').cumulativeValue).to.equal(57);
    expect(then.body['asOf']).to.equal(before);
  });

  it('finds projects behind target relative to elapsed time', async () => {
    const r = await get('/v1/programmes/LV-LT/projects/behind-target?threshold=1');
    const project = r.body['projects'][0];
    expect(project['projectId']).to.equal('LLI-317');
    expect(project['elapsedShare']).to.equal(1);
    expect(project['indicators'].map((i: Record<string, unknown>) => i['code'])).to.include('RCO81');
    expect(project['indicators'].map((i: Record<string, unknown>) => i['code'])).to.not.include('RCO87');
  });

  it('rejects bad query parameters with every bad field listed', async () => {
    const r = await get('/v1/projects/LLI-317/indicators?period=Q1&asOf=yesterday&minPosition=x&extra=1');
    expect(r.status).to.equal(400);
    expect(r.body['errors'].map((e: { path: string }) => e.path)).to.include.members(['period', 'asOf', 'minPosition']);
    expect((await get('/v1/projects/LLI-999/indicators')).status).to.equal(404);
    expect((await get('/v1/projects/LLI-317/indicators?minPosition=999999999:1')).status).to.equal(503);
  });

  it('serves Grafana: an Infinity-shaped time series and a SQL view', async () => {
    const series = await get(
      '/v1/programmes/LV-LT/indicators/RCO85/series?granularity=quarter&from=2018-01-01&to=2019-12-31',
    );
    expect(series.body).to.be.an('array');
    const rows = series.body as unknown as { time: string; period: string; value: number; cumulative: number }[];
    expect(rows.find((r) => r.period === '2018-Q4')).to.deep.equal({
      time: '2018-10-01T00:00:00Z',
      period: '2018-Q4',
      value: 24,
      cumulative: 24,
    });
    expect(rows.find((r) => r.period === '2019-Q2')).to.deep.include({ value: 30, cumulative: 54 });
    const sql = new pg.Client({ connectionString: url });
    sql.on('error', () => undefined);
    await sql.connect();
    const r = await sql.query(
      `select sum(value)::int as trainees from il_views.il_grafana_contributions where programme_id = 'LV-LT' and indicator = 'RCO85'`,
    );
    await sql.end();
    expect(r.rows[0].trainees).to.equal(54);
  });

  it("gives Grafana's SQL views the API's figures for every indicator and rule, and cells that add up per rule", async () => {
    const last = await get('/v1/projects/LLI-317/indicators?period=P4');
    const programme = await get('/v1/programmes/LV-LT/indicators?groupBy=country');
    const sql = new pg.Client({ connectionString: url });
    sql.on('error', () => undefined);
    await sql.connect();
    try {
      const totals = new Map(
        (
          await sql.query<{ indicator: string; aggregation: string; total: string }>(
            `select indicator, aggregation, total::text from il_views.il_grafana_indicator_totals where project_id = 'LLI-317'`,
          )
        ).rows.map((r) => [r.indicator, r]),
      );
      const cells = new Map(
        (
          await sql.query<{ indicator: string; summed: string; largest: string }>(
            `select indicator, sum(value)::text as summed, max(value)::text as largest from il_views.il_grafana_cells
              where programme_id = 'LV-LT' group by indicator`,
          )
        ).rows.map((r) => [r.indicator, r]),
      );
      const rules = new Set<string>();
      for (const i of last.body['indicators'] as { code: string; cumulativeValue: number | null }[]) {
        const total = totals.get(i.code);
        // An indicator without any report has no cell: the API says 0 (flows) or null (stocks).
        expect(total ? Number(total.total) : i.cumulativeValue === 0 ? 0 : null, i.code).to.equal(i.cumulativeValue);
        if (!total) continue;
        rules.add(total.aggregation);
        // Summing (or taking the largest of) the cells over all time gives the same, for every rule but stocks.
        const byCountry = (programme.body['rows'] as { indicator: string; cumulativeValue: number | null }[])
          .filter((r) => r.indicator === i.code)
          .map((r) => r.cumulativeValue ?? 0);
        const c = cells.get(i.code)!;
        if (total.aggregation === 'max') expect(Number(c.largest), i.code).to.equal(Math.max(...byCountry));
        else if (total.aggregation !== 'latest')
          expect(Number(c.summed), i.code).to.equal(byCountry.reduce((a, b) => a + b, 0));
      }
      // The demo has flows, distinct counts and a stock: each rule is compared above.
      expect([...rules].sort()).to.include.members(['count', 'count-distinct', 'latest', 'sum']);
    } finally {
      await sql.end();
    }
  });

  it('rebuilds the views through the admin endpoint and through npm run rebuild, with the same answers', async () => {
    const before = await get('/v1/projects/LLI-317/indicators?period=P4');
    const rebuilt = await fetch(`${system.url}/v1/admin/rebuild`, {
      method: 'POST',
      headers: { authorization: admin },
    });
    expect(rebuilt.status).to.equal(200);
    expect(((await rebuilt.json()) as { events: number }).events).to.be.above(50);
    expect((await get('/v1/projects/LLI-317/indicators?period=P4')).body['indicators']).to.deep.equal(
      before.body['indicators'],
    );
    const cli = spawnSync(process.execPath, [join(root, 'services', 'projector', 'dist', 'src', 'rebuild.js')], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).to.equal(0);
    expect(cli.stdout).to.match(/views rebuilt and switched/);
    expect((await get('/v1/projects/LLI-317/indicators?period=P4')).body['indicators']).to.deep.equal(
      before.body['indicators'],
    );
  });

  it('exposes projection lag in seconds and events, and in /readyz', async () => {
    const metrics = (await get('/metrics')).text;
    expect(metrics).to.match(/il_projection_lag_seconds\{[^}]*projector="indicators"[^}]*\} [\d.]+/);
    expect(metrics).to.match(/il_projection_lag_events\{[^}]*projector="indicators"[^}]*\} \d+/);
    const ready = await get('/readyz');
    expect(ready.body['projection']).to.have.keys('lagSeconds', 'lagEvents', 'checkpoint');
  });
});
