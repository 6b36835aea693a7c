import { expect } from 'chai';
import type { RunningService } from '@il/runtime';
import { socQualityOutputs } from '@il/domain';
import { loadSocQuality } from '@il/standalone';
import { startTestSystem } from './testSystem.js';
import { bearer } from './auth.js';

const P = '/v1/projects/LLI-317';

describe('the reporting cycle over HTTP: SocQuality P1-P3 verified, a late correction, P4 submitted', function () {
  this.timeout(180_000);
  let system: RunningService;
  let drop: () => Promise<void>;
  let admin: string;
  let outputIds: string[];
  let position: string;

  before(async () => {
    admin = await bearer();
    ({ system, stop: drop } = await startTestSystem());
    const loaded = await loadSocQuality(system.url, { authorization: admin }, { reports: true });
    outputIds = loaded.outputEventIds;
    position = loaded.lastPosition;
  });
  after(async () => {
    await drop?.();
  });

  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${system.url}${path}`, {
      method,
      headers: { authorization: admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.headers.get('content-type')?.includes('json')) {
      const json = JSON.parse(text) as Record<string, any>;
      if (typeof json['position'] === 'string') position = json['position'];
      return { status: res.status, text, body: json };
    }
    return { status: res.status, text, body: {} as Record<string, any> };
  }
  const get = (path: string) => call('GET', `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`);
  const line = (lines: Record<string, any>[], code: string) => lines.find((l) => l['indicator'] === code)!;
  const indicator = (body: Record<string, any>, code: string) =>
    (body['indicators'] as Record<string, any>[]).find((i) => i['code'] === code)!;
  const rokiskis = () =>
    socQualityOutputs.findIndex((e) => e.type === 'ExchangeVisitHeld' && e.data.visitId === 'visit-rokiskis-2018');

  it('lists every report with its status', async () => {
    const list = await get(`${P}/reports`);
    expect(list.status).to.equal(200);
    const statuses = (list.body['reports'] as Record<string, any>[]).map(
      (r) => `${r['periodId']}${r['partner'] ? `@${r['partner']}` : ''}:${r['status']}`,
    );
    expect(statuses).to.deep.equal(['P1:verified', 'P2:verified', 'P3:verified', 'P3@PP5:certified', 'P4:submitted']);
    const project = await get(P);
    expect(project.body['reports']).to.deep.equal({
      'P3@PP5': 'certified',
      P1: 'verified',
      P2: 'verified',
      P3: 'verified',
      P4: 'submitted',
    });
  });

  it('carries the correction recorded after P2 was verified into P4 as an adjustment of what was previously reported', async () => {
    const [p2, p3, p4] = await Promise.all(['P2', 'P3', 'P4'].map((p) => get(`${P}/reports/${p}`)));
    const [a2, a3, a4] = [p2!, p3!, p4!].map((r) => line(r.body['latest']['lines'], 'RCO81')) as [
      Record<string, any>,
      Record<string, any>,
      Record<string, any>,
    ];
    expect(p4!.body['latest']['previousPeriodId']).to.equal('P3');
    expect(a4['previouslyReported']).to.equal(a3['cumulative']);
    expect(a4['adjustment'], 'the Rokiškis visit: 24 participants, not 22').to.equal(2);
    expect(a4['cumulative']).to.equal(a3['cumulative'] + 2 + a4['thisReport']);
    expect(a3['adjustment']).to.equal(0);
    // P2 still states what was verified: 22 participants; the live figure has 24.
    const live = await get(`${P}/indicators?period=P2`);
    expect(indicator(live.body, 'RCO81')['periodValue']).to.equal(a2['thisReport'] + 2);
    expect(a2['thisReportEvents']).to.include(outputIds[rokiskis()]);
  });

  it('states in every submission exactly the figures recorded at its submission', async () => {
    for (const periodId of ['P1', 'P2', 'P3', 'P4']) {
      const report = (await get(`${P}/reports/${periodId}`)).body;
      const at = report['latest']['submittedAt'] as string;
      const then = await get(`${P}/indicators?period=${periodId}&asOf=${encodeURIComponent(at)}`);
      for (const l of report['latest']['lines'] as Record<string, any>[]) {
        const f = indicator(then.body, l['indicator']);
        expect([l['thisReport'], l['cumulative'], l['target']], `${periodId} ${l['indicator']}`).to.deep.equal([
          f['periodValue'],
          f['cumulativeValue'],
          f['target'],
        ]);
      }
    }
  });

  it('refuses an output dated in a period under review, accepts one in a verified period, and explains the change', async () => {
    const camp = (campId: string, day: string) => ({
      partner: 'PP7',
      campId,
      startDate: day,
      endDate: day,
      location: 'Biržai',
      country: 'LT',
      participants: { total: 20, crossBorder: 9 },
    });
    const refused = await call('POST', `${P}/camps`, camp('late-p4', '2019-12-02'));
    expect(refused.status).to.equal(409);
    expect(refused.body['type']).to.match(/report-under-review$/);
    expect(refused.body['detail']).to.include('P4');
    const accepted = await call('POST', `${P}/camps`, camp('late-p2', '2018-12-03'));
    expect(accepted.status).to.equal(201);
    const changes = await get(`${P}/changes-since-report`);
    expect(changes.status).to.equal(200);
    expect(changes.body['report']).to.deep.include({ level: 'project', periodId: 'P4', submission: 1 });
    const rco81 = indicator(changes.body, 'RCO81');
    expect(rco81['difference']).to.equal(9);
    expect(rco81['added'].map((r: Record<string, any>) => r['outputEventId'])).to.deep.equal([
      accepted.body['eventId'],
    ]);
    expect(rco81['removed']).to.deep.equal([]);
    expect(rco81['byPartner'].find((p: Record<string, any>) => p['partner'] === 'PP7')).to.deep.include({
      now: rco81['byPartner'].find((p: Record<string, any>) => p['partner'] === 'PP7')['reported'] + 9,
    });
    expect(indicator(changes.body, 'RCO85')['difference']).to.equal(0);
    const pp5 = await get(`${P}/changes-since-report?partner=PP5`);
    expect(pp5.body['report']).to.deep.include({ level: 'partner', partner: 'PP5', periodId: 'P3' });
    expect((await get(`${P}/changes-since-report?partner=PP2`)).status).to.equal(404);
    expect((await get(`${P}/changes-since-report?partner=PP99`)).status).to.equal(404);
  });

  it('answers on each basis: verified (P3 as verified), submitted (P4 as submitted), recorded (everything)', async () => {
    const p4 = (await get(`${P}/reports/P4`)).body;
    const p3 = (await get(`${P}/reports/P3`)).body;
    const basis = (b: string) => get(`${P}/indicators?period=P4&basis=${b}`);
    const [recorded, submitted, verified] = [
      await basis('recorded'),
      await basis('submitted'),
      await basis('verified'),
    ];
    expect(verified.body['basisReport']).to.deep.include({ periodId: 'P3', periodEnd: '2019-08-31' });
    expect(submitted.body['basisReport']).to.deep.include({ periodId: 'P4' });
    expect(recorded.body['basis']).to.equal('recorded');
    expect(recorded.body['basisReport']).to.equal(null);
    const v = indicator(verified.body, 'RCO81');
    expect(v['periodValue'], 'P4 is not verified: no number of its own').to.equal(null);
    expect(v['cumulativeValue']).to.equal(line(p3['latest']['lines'], 'RCO81')['cumulative']);
    expect(indicator(submitted.body, 'RCO81')['cumulativeValue']).to.equal(
      line(p4['latest']['lines'], 'RCO81')['cumulative'],
    );
    expect(indicator(recorded.body, 'RCO81')['cumulativeValue'], 'the late camp').to.equal(
      line(p4['latest']['lines'], 'RCO81')['cumulative'] + 9,
    );
    const programme = await get('/v1/programmes/LV-LT/indicators?groupBy=project&basis=verified');
    expect(programme.body['basis']).to.equal('verified');
    const row = (programme.body['rows'] as Record<string, any>[]).find((r) => r['indicator'] === 'RCO81')!;
    expect(row['cumulativeValue']).to.equal(v['cumulativeValue']);
    const series = await get('/v1/programmes/LV-LT/indicators/RCO81/series?granularity=year&basis=submitted');
    expect((series.body as unknown as Record<string, any>[]).at(-1)!['cumulative']).to.equal(
      indicator(submitted.body, 'RCO81')['cumulativeValue'],
    );
    const behind = await get('/v1/programmes/LV-LT/projects/behind-target?basis=verified&threshold=10');
    expect(behind.body['basis']).to.equal('verified');
    const lagging = (behind.body['projects'] as Record<string, any>[])[0]!['indicators'] as Record<string, any>[];
    expect(lagging.find((i) => i['code'] === 'RCO81')!['achieved']).to.equal(v['cumulativeValue']);
    const before = await get(`${P}/indicators?period=P4&basis=verified&asOf=2000-01-01`);
    expect(before.body['basisReport']).to.equal(null);
    expect(indicator(before.body, 'RCO81')['cumulativeValue']).to.equal(null);
    expect((await get(`${P}/indicators?basis=approved`)).status).to.equal(400);
  });

  it('answers a submission with the same bytes after later outputs, reopenings, an amendment and a rebuild', async () => {
    const first = await get(`${P}/reports/P4/submissions/1`);
    expect(first.status).to.equal(200);
    const asOf = encodeURIComponent(new Date().toISOString());
    const report = await get(`${P}/reports/P4?asOf=${asOf}`);
    await new Promise((r) => setTimeout(r, 5));
    expect((await call('POST', `${P}/reports/P4/reopen`, { reason: 'A camp was missing' })).status).to.equal(201);
    const reopened = await get(`${P}/reports/P4`);
    expect(reopened.body).to.deep.include({ status: 'reopened', numbers: 'open' });
    expect((await call('POST', `${P}/reports/P3/reopen`, { reason: 'Texts' })).status).to.equal(201);
    expect((await get(`${P}/reports/P3`)).body).to.deep.include({ status: 'reopened', numbers: 'frozen' });
    expect((await call('POST', `${P}/reports/P4/submit`, { reason: 'Resubmitted' })).status).to.equal(201);
    const again = await get(`${P}/reports/P4`);
    expect(again.body['latest']['submission']).to.equal(2);
    expect(again.body['history'].map((h: Record<string, any>) => h['transition'])).to.deep.equal([
      'submitted',
      'reopened',
      'submitted',
    ]);
    expect(line(again.body['latest']['lines'], 'RCO81')['adjustment'], 'the late P2 camp, now carried').to.equal(11);
    const amended = await call('POST', `${P}/amendments`, { endDate: '2020-08-31', reason: 'Six more months' });
    expect(amended.status).to.equal(201);
    const rebuilt = await call('POST', '/v1/admin/rebuild');
    expect(rebuilt.status).to.equal(200);
    expect((await get(`${P}/reports/P4/submissions/1`)).text).to.equal(first.text);
    expect((await get(`${P}/reports/P4?asOf=${asOf}`)).text).to.equal(report.text);
    expect((await get(`${P}/reports/P4/submissions/3`)).status).to.equal(404);
    expect((await get(`${P}/reports/P1/partners/PP2`)).status, 'never submitted').to.equal(404);
    expect((await get(`${P}/reports/P3/partners/PP5`)).body['status']).to.equal('certified');
    expect((await get(`${P}/reports/P9`)).status).to.equal(404);
    // The amendment made P4 a full six months and added P5; the report still states the P4 it was submitted for.
    expect((await get(`${P}/reports/P4`)).body['latest']['period']).to.deep.equal({
      id: 'P4',
      start: '2019-09-01',
      end: '2020-02-29',
    });
    expect((await get(`${P}/indicators?period=P5`)).status).to.equal(200);
  });
});
