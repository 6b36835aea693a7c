import { expect } from 'chai';
import type { EventStore } from '@il/event-store';
import type { RunningService } from '@il/runtime';
import {
  builtinCatalogues,
  indicatorFigures,
  ledgerOf,
  readStoredEvent,
  socQualityProgrammeTargets,
  socQualityProject,
} from '@il/domain';
import { loadSocQuality } from '@il/standalone';
import { createLedgerClient } from '@il/client';
import { startTestSystem } from './testSystem.js';
import { bearer } from './auth.js';

const G = '/v1/programmes/LV-LT';
const P = '/v1/projects/LLI-317';

describe('programme monitoring over HTTP: programme targets and the tables transmitted to the Commission', function () {
  this.timeout(180_000);
  let system: RunningService;
  let store: EventStore;
  let drop: () => Promise<void>;
  let admin: string;
  let position: string;

  before(async () => {
    admin = await bearer();
    ({ system, store, stop: drop } = await startTestSystem());
    position = (await loadSocQuality(system.url, { authorization: admin })).lastPosition;
  });
  after(async () => {
    await drop?.();
  });

  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    token = admin,
  ) {
    const res = await fetch(`${system.url}${path}`, {
      method,
      headers: {
        authorization: token,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const json = res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, any>) : {};
    if (typeof json['position'] === 'string') position = json['position'];
    return { status: res.status, text, body: json, headers: res.headers };
  }
  const get = (path: string, token = admin) =>
    call('GET', `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`, undefined, {}, token);
  const row = (body: Record<string, any>, code: string) =>
    [...body['outputs'], ...body['results']].find((r: Record<string, any>) => r['indicator'] === code);

  /** The reference: the project's stored events folded from scratch, everything up to the cut-off. */
  async function reference(cutOff: string) {
    const events = (await store.readStream('project-LLI-317')).map((e) => ({
      event: readStoredEvent(e.type, e.schemaVersion, e.data),
      eventId: e.eventId,
    }));
    const catalogue = builtinCatalogues['interreg-2021-2027']!;
    const ledger = ledgerOf(events, catalogue, socQualityProject.startDate);
    const period = { id: 'cut', start: socQualityProject.startDate, end: cutOff };
    return new Map(indicatorFigures(ledger, catalogue, [period]).map((f) => [f.code, f.periods[0]!.cumulativeValue]));
  }

  it('keeps the programme targets set by the secretariat', async () => {
    // Through the typed client: the document's paths, parameters and answers.
    const client = createLedgerClient(system.url, { authorization: admin });
    const { data: targets } = await client.GET('/v1/programmes/{programmeId}/targets', {
      params: { path: { programmeId: 'LV-LT' } },
    });
    expect(targets?.targets.map((t) => t.indicator)).to.have.members(
      socQualityProgrammeTargets.map((t) => t.indicator),
    );
    const pm = await bearer({ sub: 'pm', roles: ['project-manager'], projectId: 'LLI-317' });
    const viewer = await bearer({ sub: 'v', roles: ['viewer'], programmeId: 'LV-LT' });
    const js = await bearer({ sub: 'js', roles: ['secretariat'], programmeId: 'LV-LT' });
    const body = { targets: [socQualityProgrammeTargets[0]] };
    expect((await call('PUT', `${G}/targets`, body, {}, pm)).status).to.equal(404);
    expect((await call('PUT', `${G}/targets`, body, {}, viewer)).status).to.equal(403);
    expect((await call('PUT', `${G}/targets`, body, {}, js)).status, 'unchanged').to.equal(200);
    const wrong = await call('PUT', `${G}/targets`, {
      targets: [{ ...socQualityProgrammeTargets[0], milestone: null }],
    });
    expect(wrong.status).to.equal(422);
    expect(wrong.body['errors'][0]['path']).to.equal('targets.0.milestone');
    const bad = await call('PUT', `${G}/targets`, {
      targets: [{ ...socQualityProgrammeTargets[0], countsFrom: '2014-13-01' }],
    });
    expect(bad.status).to.equal(400);
    expect(bad.body['errors'][0]['path']).to.equal('targets.0.countsFrom');
  });

  it('answers the tables against a reference fold of the stored events, for two cut-offs', async () => {
    const client = createLedgerClient(system.url, { authorization: admin });
    for (const cutOff of ['2018-12-31', '2019-12-31']) {
      const { data, response } = await client.GET('/v1/programmes/{programmeId}/transmission-tables', {
        params: { path: { programmeId: 'LV-LT' }, query: { cutOff, minPosition: position } },
      });
      expect(response.status).to.equal(200);
      // JSON unless format=csv is asked for: the document says both.
      const tables = data as Exclude<typeof data, string | undefined>;
      const expected = await reference(cutOff);
      for (const r of [...tables.outputs, ...tables.results])
        expect(r.achieved, `${cutOff} ${r.indicator}`).to.equal(expected.get(r.indicator) ?? 0);
      const rco81 = row(tables, 'RCO81');
      expect(rco81).to.deep.include({ priority: '3', specificObjective: '3.1', selectedOperations: 400 });
      expect(rco81['finalTarget']).to.deep.equal({ year: 2023, value: 1000 });
      expect(rco81['progress']['ofFinalTarget']).to.equal(rco81['achieved'] / 1000);
      expect(row(tables, 'RCR104')).to.deep.include({
        milestone: null,
        baseline: { value: 0, referenceYear: 2017 },
      });
    }
    const csv = await get(`${G}/transmission-tables?cutOff=2019-12-31&format=csv`);
    expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
    expect(csv.text.split(/\r?\n/)[0]).to.equal(
      'table,priority,specificObjective,indicator,name,unit,milestoneYear,milestone,finalTargetYear,finalTarget,baseline,referenceYear,selectedOperations,achieved,atRisk',
    );
    expect((await get(`${G}/transmission-tables`)).status, 'cutOff is required').to.equal(400);
    expect((await get(`${G}/transmission-tables?cutOff=2019-02-30`)).status).to.equal(400);
  });

  it("cuts off at midnight in the programme's time zone: 23:30 UTC on the cut-off day is the next day in Riga", async () => {
    const late = await call('POST', `${P}/public-events`, {
      partner: 'LP',
      publicEventId: 'new-year',
      date: '2019-12-31T23:30:00Z',
      location: 'Jelgava',
      participants: { total: 10, crossBorder: 4 },
    });
    expect(late.status).to.equal(201);
    const on31 = row((await get(`${G}/transmission-tables?cutOff=2019-12-31`)).body, 'RCO81')['achieved'];
    const on1 = row((await get(`${G}/transmission-tables?cutOff=2020-01-01`)).body, 'RCO81')['achieved'];
    expect(on1 - on31).to.equal(4);
    expect(on31).to.equal((await reference('2019-12-31')).get('RCO81'));
  });

  it('gives the same bytes for the same cut-off and as-of after later writes, and stores a transmission as made', async () => {
    const asOf = encodeURIComponent(new Date().toISOString());
    const query = `${G}/transmission-tables?cutOff=2019-12-31&asOf=${asOf}`;
    const first = await get(query);
    await new Promise((r) => setTimeout(r, 5));
    const made = await call(
      'POST',
      `${G}/transmissions`,
      { cutOff: '2019-12-31', asOf: decodeURIComponent(asOf) },
      {
        'idempotency-key': 'january',
      },
    );
    expect(made.status).to.equal(201);
    expect(made.headers.get('location')).to.equal(`${G}/transmissions/1`);
    expect((await get(`${G}/transmissions/1`)).body['tables']).to.deep.equal(first.body);
    const again = await call(
      'POST',
      `${G}/transmissions`,
      { cutOff: '2019-12-31', asOf: decodeURIComponent(asOf) },
      {
        'idempotency-key': 'january',
      },
    );
    expect(again.headers.get('idempotent-replayed'), 'a retry stores nothing twice').to.equal('true');
    expect(again.body['eventId']).to.equal(made.body['eventId']);
    const stored = await get(`${G}/transmissions/1`);
    // Later: a camp in 2019 and an amended programme target.
    expect(
      (
        await call('POST', `${P}/camps`, {
          partner: 'PP7',
          campId: 'after-transmission',
          startDate: '2019-06-03',
          endDate: '2019-06-07',
          location: 'Rokiškis',
          country: 'LT',
          participants: { total: 30, crossBorder: 12 },
        })
      ).status,
    ).to.equal(201);
    const amended = { ...socQualityProgrammeTargets[0]!, finalTarget: { year: 2023, value: 1200 } };
    expect((await call('PUT', `${G}/targets`, { targets: [amended] })).status).to.equal(201);
    expect((await get(query)).text, 'the same cut-off and as-of: the same bytes').to.equal(first.text);
    const now = await get(`${G}/transmission-tables?cutOff=2019-12-31`);
    expect(row(now.body, 'RCO81')['achieved']).to.equal(row(first.body, 'RCO81')['achieved'] + 12);
    expect(row(now.body, 'RCO81')['finalTarget']['value']).to.equal(1200);
    expect((await get(`${G}/transmissions/1`)).text, 'what was sent, not computed again').to.equal(stored.text);
    const list = await get(`${G}/transmissions`);
    expect(list.body['transmissions']).to.have.length(1);
    expect(list.body['transmissions'][0]).to.deep.include({
      transmissionId: 1,
      cutOff: '2019-12-31',
      basis: 'recorded',
    });
    expect((await get(`${G}/transmissions/2`)).status).to.equal(404);
  });

  it('counts only what verified reports stated on the verified basis, and lets only the secretariat transmit', async () => {
    const verified = await get(`${G}/transmission-tables?cutOff=2019-12-31&basis=verified`);
    expect(verified.body['basis']).to.equal('verified');
    expect(row(verified.body, 'RCO81')['achieved'], 'no report verified in this system').to.equal(0);
    const viewer = await bearer({ sub: 'v', roles: ['viewer'], programmeId: 'LV-LT' });
    expect((await get(`${G}/transmission-tables?cutOff=2019-12-31`, viewer)).status).to.equal(200);
    expect((await call('POST', `${G}/transmissions`, { cutOff: '2019-12-31' }, {}, viewer)).status).to.equal(403);
    const pm = await bearer({ sub: 'pm', roles: ['project-manager'], projectId: 'LLI-317' });
    expect((await get(`${G}/transmission-tables?cutOff=2019-12-31`, pm)).status).to.equal(404);
    expect((await get('/v1/programmes/NOPE/transmission-tables?cutOff=2019-12-31')).status).to.equal(404);
  });
});
