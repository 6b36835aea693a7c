import { expect } from 'chai';
import { socQualityProgrammeTargets, socQualityOutputs, socQualityPartners, socQualityProject } from '@il/domain';
import type { EventStore, StoredEvent } from '@il/event-store';
import type { RunningService } from '@il/runtime';
import { loadSocQuality } from '@il/standalone';
import { startTestSystem } from './testSystem.js';
import { bearer } from './auth.js';

const P = `/v1/projects/${socQualityProject.projectId}`;

describe('write side over HTTP: the SocQuality scenario and every error case', function () {
  this.timeout(120_000);
  let system: RunningService;
  let store: EventStore;
  let drop: () => Promise<void>;
  let outputIds: string[] = [];

  let admin: string;
  before(async () => {
    admin = await bearer();
    ({ system, store, stop: drop } = await startTestSystem({ BODY_LIMIT: '64kb' }));
    outputIds = (await loadSocQuality(system.url, { authorization: admin })).outputEventIds;
  });
  after(async () => {
    await drop?.();
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${system.url}${path}`, {
      method,
      headers: {
        authorization: admin,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
  };

  async function allEvents(): Promise<StoredEvent[]> {
    return (await store.readAll({ limit: 10_000 })).events;
  }

  /** Runs a request that must fail and checks that the store holds exactly what it held before. */
  async function rejected(
    status: number,
    type: string,
    request: () => Promise<{ status: number; body: Record<string, any>; headers: Headers }>,
  ) {
    const before = (await allEvents()).length;
    const r = await request();
    expect(r.status, JSON.stringify(r.body)).to.equal(status);
    expect(r.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(r.body['type']).to.equal(`https://indicator-ledger.dev/problems/${type}`);
    expect(r.body).to.include.keys('title', 'status', 'detail');
    expect((await allEvents()).length, 'nothing appended').to.equal(before);
    return r.body;
  }

  const camp = (over: Record<string, unknown> = {}) => ({
    partner: 'PP7',
    campId: `camp-${Math.random().toString(36).slice(2, 8)}`,
    startDate: '2019-07-08',
    endDate: '2019-07-12',
    location: 'Rokiškis',
    country: 'LT',
    participants: { total: 42, crossBorder: 20, withDisabilities: 32 },
    ...over,
  });

  describe('the scenario as stored events', () => {
    it('stores the programme, the project, 8 partners, 9 targets and every output in order', async () => {
      const events = await store.readStream(`project-${socQualityProject.projectId}`);
      const types = events.map((e) => e.type);
      expect(types.slice(0, 1)).to.deep.equal(['ProjectRegistered']);
      expect(types.filter((t) => t === 'PartnerJoined')).to.have.length(8);
      expect(types.filter((t) => t === 'TargetSet')).to.have.length(9);
      const outputs = events.slice(18);
      expect(outputs.map((e) => ({ type: e.type, data: e.data }))).to.deep.equal(
        socQualityOutputs.map((e) => ({ type: e.type, data: e.data })),
      );
      expect(outputs.map((e) => e.eventId)).to.deep.equal(outputIds);
      expect(events.map((e) => e.streamVersion)).to.deep.equal(events.map((_, i) => i + 1));
      expect(events[1]!.data).to.deep.equal(socQualityPartners[0]!.data);
      expect((await store.readStream('programme-LV-LT')).map((e) => e.type)).to.deep.equal([
        'ProgrammeRegistered',
        ...socQualityProgrammeTargets.map(() => 'ProgrammeTargetSet'),
      ]);
    });

    it('records actor, correlation id and the occurrence date in the programme time zone', async () => {
      const events = await store.readStream(`project-${socQualityProject.projectId}`);
      const leapDay = events.find((e) => e.type === 'ExpenditureDeclared' && e.data['date'] === '2020-02-29')!;
      expect(leapDay.occurredAt.toISOString()).to.equal('2020-02-28T22:00:00.000Z');
      expect(leapDay.metadata.actor, 'an opaque id, not the token subject').to.match(/^actor_[A-Za-z0-9_-]{22}$/);
      expect(leapDay.metadata.correlationId).to.be.a('string').and.not.empty;
      const camp2019 = events.find((e) => e.type === 'CampHeld' && e.data['campId'] === 'camp-rokiskis-2019')!;
      expect(camp2019.occurredAt.toISOString()).to.equal('2019-07-11T21:00:00.000Z');
    });

    it('stores nothing when the whole scenario is sent again with the same Idempotency-Keys', async () => {
      const before = (await allEvents()).length;
      const again = await loadSocQuality(system.url, { authorization: admin });
      expect(again.outputEventIds).to.deep.equal(outputIds);
      expect((await allEvents()).length).to.equal(before);
    });
  });

  describe('reading resources', () => {
    it('returns current state with the stream version as ETag, and 304 for a matching If-None-Match', async () => {
      const project = await call('GET', P);
      expect(project.status).to.equal(200);
      expect(project.body['periods']).to.have.length(4);
      expect(project.body['partners']).to.have.length(8);
      const tag = project.headers.get('etag')!;
      expect(tag).to.match(/^"\d+"$/);
      expect((await call('GET', P, undefined, { 'if-none-match': tag })).status).to.equal(304);
      expect((await call('GET', `${P}/camps/camp-zemgale-2018`)).body).to.deep.include({
        campId: 'camp-zemgale-2018',
        partner: 'LP',
        retracted: false,
      });
      expect((await call('GET', `${P}/infrastructure/viesite-day-centre`)).body['events']).to.have.length(2);
      expect((await call('GET', `${P}/inclusion-measures/healthy-lifestyle`)).body['deliveries']).to.have.length(2);
      expect((await call('GET', `${P}/partners/PP5`)).body).to.include({ name: 'Viesīte municipality' });
      expect((await call('GET', `${P}/targets`)).body['targets']).to.include({ RCO81: 400, 'RCO84@PP5': 7 });
      expect((await call('GET', '/v1/programmes/LV-LT')).body['catalogue']['id']).to.equal('interreg-2021-2027');
      expect((await call('GET', `${P}/outputs/${outputIds[0]}`)).body).to.include({ type: 'PublicEventHeld' });
    });

    it('answers 404 problems for what does not exist', async () => {
      expect((await call('GET', '/v1/projects/LLI-999')).status).to.equal(404);
      expect((await call('GET', `${P}/camps/no-such-camp`)).status).to.equal(404);
      expect((await call('GET', '/v1/programmes/XX')).status).to.equal(404);
    });
  });

  describe('writes', () => {
    it('answers 201 with eventId, streamId, version and position', async () => {
      const r = await call('POST', `${P}/camps`, camp());
      expect(r.status).to.equal(201);
      expect(r.body).to.have.keys('eventId', 'eventIds', 'streamId', 'version', 'position');
      expect(r.body['streamId']).to.equal('project-LLI-317');
      expect(r.headers.get('etag')).to.equal(`"${r.body['version']}"`);
    });

    it('honours If-Match: 412 on a stale version, 201 on the current one', async () => {
      const { headers } = await call('GET', P);
      const tag = headers.get('etag')!;
      await call('POST', `${P}/camps`, camp());
      await rejected(412, 'precondition-failed', () => call('POST', `${P}/camps`, camp(), { 'if-match': tag }));
      const current = (await call('GET', P)).headers.get('etag')!;
      expect((await call('POST', `${P}/camps`, camp(), { 'if-match': current })).status).to.equal(201);
      await rejected(400, 'invalid-if-match', () => call('POST', `${P}/camps`, camp(), { 'if-match': 'yesterday' }));
    });

    it('returns the first result for a retried Idempotency-Key and refuses the key for another body', async () => {
      const body = camp();
      const first = await call('POST', `${P}/camps`, body, { 'idempotency-key': 'retry-1' });
      const before = (await allEvents()).length;
      const second = await call('POST', `${P}/camps`, body, { 'idempotency-key': 'retry-1' });
      expect(second.status).to.equal(201);
      expect(second.body).to.deep.equal(first.body);
      expect(second.headers.get('idempotent-replayed')).to.equal('true');
      expect((await allEvents()).length).to.equal(before);
      await rejected(422, 'idempotency-key-reused', () =>
        call('POST', `${P}/camps`, camp(), { 'idempotency-key': 'retry-1' }),
      );
    });

    it('corrects and retracts outputs by event id', async () => {
      const c = await call('POST', `${P}/camps`, camp({ campId: 'to-correct' }));
      const corrected = await call('POST', `${P}/corrections`, {
        correctsEventId: c.body['eventId'],
        replacement: {
          type: 'CampHeld',
          data: camp({ campId: 'to-correct', participants: { total: 50, crossBorder: 25 } }),
        },
      });
      expect(corrected.status).to.equal(201);
      expect((await call('GET', `${P}/camps/to-correct`)).body['participants']).to.deep.equal({
        total: 50,
        crossBorder: 25,
      });
      expect(
        (await call('POST', `${P}/retractions`, { retractsEventId: c.body['eventId'], reason: 'Recorded by mistake' }))
          .status,
      ).to.equal(201);
      expect((await call('GET', `${P}/outputs/${c.body['eventId']}`)).body).to.include({ retracted: true });
      await rejected(409, 'already-exists', () =>
        call('POST', `${P}/retractions`, { retractsEventId: c.body['eventId'], reason: 'again' }),
      );
      await rejected(404, 'not-found', () =>
        call('POST', `${P}/corrections`, {
          correctsEventId: '00000000-0000-4000-8000-000000000000',
          replacement: { type: 'CampHeld', data: camp() },
        }),
      );
    });

    it('submits and approves reports', async () => {
      const why = { reason: 'Reporting deadline' };
      const submitted = await call('POST', `${P}/reports/P1/submit`, { partner: 'PP2', ...why });
      expect(submitted.status).to.equal(201);
      expect(submitted.headers.get('location')).to.equal(`${P}/reports/P1/partners/PP2`);
      expect((await call('POST', `${P}/reports/P1/approve`, { partner: 'PP2', ...why })).status).to.equal(201);
      await rejected(422, 'rule-violation', () => call('POST', `${P}/reports/P2/approve`, why));
      await rejected(404, 'not-found', () => call('POST', `${P}/reports/P9/submit`, why));
      await rejected(400, 'validation-failed', () => call('POST', `${P}/reports/P2/submit`, {}));
      await rejected(409, 'already-exists', () => call('POST', `${P}/reports/P1/approve`, { partner: 'PP2', ...why }));
    });
  });

  describe('errors: a clear problem, and nothing appended', () => {
    it('404 for an unknown project or partner', async () => {
      await rejected(404, 'not-found', () => call('POST', '/v1/projects/LLI-999/camps', camp()));
      await rejected(404, 'not-found', () => call('POST', `${P}/camps`, camp({ partner: 'PP99' })));
      await rejected(404, 'not-found', () =>
        call('POST', '/v1/projects', { ...socQualityProject, projectId: 'LLI-1000', programmeId: 'NOPE' }),
      );
    });

    it('422 for an output outside the project dates, naming the field', async () => {
      const body = await rejected(422, 'rule-violation', () =>
        call('POST', `${P}/camps`, camp({ startDate: '2020-02-28', endDate: '2020-03-02' })),
      );
      expect(body['errors']).to.deep.equal([
        { path: 'endDate', message: 'must lie within the project dates 2018-03-01..2020-02-29' },
      ]);
    });

    it('422 for more cross-border participants than participants', async () => {
      const body = await rejected(422, 'rule-violation', () =>
        call('POST', `${P}/camps`, camp({ participants: { total: 10, crossBorder: 11 } })),
      );
      expect(body['errors'][0]['path']).to.equal('participants.crossBorder');
    });

    it('409 for a camp id that is already recorded', async () => {
      await rejected(409, 'already-exists', () => call('POST', `${P}/camps`, camp({ campId: 'camp-zemgale-2018' })));
    });

    it('400 listing every invalid field', async () => {
      const body = await rejected(400, 'validation-failed', () =>
        call('POST', `${P}/camps`, {
          partner: 'PP7',
          campId: 'bad id',
          startDate: '2019-02-30',
          endDate: 12,
          country: 'Lithuania',
          participants: { total: -1, crossBorder: 0.5 },
        }),
      );
      expect(body['errors'].map((e: { path: string }) => e.path)).to.include.members([
        'campId',
        'startDate',
        'endDate',
        'location',
        'country',
        'participants.total',
        'participants.crossBorder',
      ]);
    });

    it('400 for fields the schema does not know (no names in events)', async () => {
      const body = await rejected(400, 'validation-failed', () =>
        call('POST', `${P}/camps`, camp({ participantNames: ['Jānis'] })),
      );
      expect(JSON.stringify(body['errors'])).to.include('participantNames');
    });

    it('400 for malformed JSON, 415 for another content type, 413 over the body limit', async () => {
      await rejected(400, 'malformed-json', () => call('POST', `${P}/camps`, '{"partner":'));
      await rejected(415, 'unsupported-media-type', async () => {
        const res = await fetch(`${system.url}${P}/camps`, {
          method: 'POST',
          headers: { authorization: admin, 'content-type': 'text/plain' },
          body: 'campId=x',
        });
        return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
      });
      await rejected(413, 'body-too-large', () => call('POST', `${P}/camps`, camp({ location: 'x'.repeat(70_000) })));
    });

    it('422 for outputs dated further ahead than the clock-skew tolerance (one day, Riga time)', async () => {
      const running = { ...socQualityProject, projectId: 'LLI-FUTURE', startDate: '2020-01-01', endDate: '2099-12-31' };
      expect((await call('POST', '/v1/projects', running)).status).to.equal(201);
      expect(
        (
          await call('POST', '/v1/projects/LLI-FUTURE/partners', {
            partnerCode: 'LP',
            name: 'Lead',
            country: 'LV',
            nuts3: 'LV009',
            role: 'lead',
          })
        ).status,
      ).to.equal(201);
      const inDays = (d: number) =>
        new Date(Date.now() + d * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Riga' });
      const equipment = (date: string) => ({ partner: 'LP', date, description: 'Laptop', costCents: 50_000 });
      const body = await rejected(422, 'rule-violation', () =>
        call('POST', '/v1/projects/LLI-FUTURE/equipment', equipment(inDays(3))),
      );
      expect(body['errors'][0]['message']).to.match(/lies in the future/);
      expect((await call('POST', '/v1/projects/LLI-FUTURE/equipment', equipment(inDays(0)))).status).to.equal(201);
    });

    it('422 for an unknown catalogue and 409 for a programme registered twice', async () => {
      await rejected(422, 'rule-violation', () =>
        call('POST', '/v1/programmes', {
          programmeId: 'EE-LV',
          name: 'Estonia-Latvia',
          timeZone: 'Europe/Tallinn',
          catalogue: 'nope',
        }),
      );
      await rejected(409, 'already-exists', () =>
        call('POST', '/v1/programmes', {
          programmeId: 'LV-LT',
          name: 'again',
          timeZone: 'Europe/Riga',
          catalogue: 'lv-lt-2014-2020',
        }),
      );
    });
  });

  describe('operations', () => {
    it('documents every write route in /openapi.json, generated from the schemas', async () => {
      const doc = (await call('GET', '/openapi.json')).body;
      for (const path of [
        '/v1/programmes',
        '/v1/projects',
        '/v1/projects/{projectId}/camps',
        '/v1/projects/{projectId}/infrastructure/{objectId}/completed',
        '/v1/projects/{projectId}/corrections',
        '/v1/projects/{projectId}/targets',
      ]) {
        expect(doc['paths'], path).to.have.property(path);
      }
      const campSchema =
        doc['paths']['/v1/projects/{projectId}/camps']['post']['requestBody']['content']['application/json']['schema'];
      expect(campSchema['required']).to.include.members(['partner', 'campId', 'participants']);
    });

    it('counts appended events by type and requests by route template in /metrics', async () => {
      const text = await (await fetch(`${system.url}/metrics`)).text();
      expect(text).to.match(
        /il_events_appended_total\{(?=[^}]*type="CampHeld")(?=[^}]*service="standalone")[^}]*\} [1-9]\d*/,
      );
      expect(text).to.include('route="/v1/projects/:projectId/camps"');
      expect(text).to.not.include('LLI-317');
    });

    it('reports readiness with the store reachable and migrations done', async () => {
      expect((await call('GET', '/readyz')).body).to.include({ status: 'ready', migrations: 'done' });
    });
  });
});
