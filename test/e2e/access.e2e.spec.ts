import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { socQualityProject } from '@il/domain';
import type { EventStore } from '@il/event-store';
import { authSetup, loadConfig, type RunningService } from '@il/runtime';
import { loadSocQuality } from '@il/standalone';
import { startTestSystem } from './testSystem.js';
import { bearer, testSecret, type Claims } from './auth.js';

const P = '/v1/projects/LLI-317';

describe('access control: tokens, roles and scopes', function () {
  this.timeout(120_000);
  let system: RunningService;
  let store: EventStore;
  let drop: () => Promise<void>;
  const as = async (claims: Claims) => bearer(claims);

  before(async () => {
    ({ system, store, stop: drop } = await startTestSystem({ METRICS_PORT: '0' }));
    const admin = await bearer();
    await loadSocQuality(system.url, { authorization: admin });
    const octopus = {
      ...socQualityProject,
      projectId: 'LLI-425',
      acronym: 'OCTOPUS',
      startDate: '2020-06-01',
      endDate: '2022-05-31',
    };
    expect(
      (
        await fetch(`${system.url}/v1/projects`, {
          method: 'POST',
          headers: { authorization: admin, 'content-type': 'application/json' },
          body: JSON.stringify(octopus),
        })
      ).status,
    ).to.equal(201);
  });
  after(async () => {
    await drop?.();
  });

  async function call(authorization: string | undefined, method: string, path: string, body?: unknown) {
    const res = await fetch(`${system.url}${path}`, {
      method,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {}, headers: res.headers };
  }

  const measure = (partner: string, measureId = `m-${Math.random().toString(36).slice(2, 8)}`) => ({
    partner,
    measureId,
    date: '2019-05-15',
    sessions: 1,
    participants: 5,
  });
  const partnerManager = {
    sub: 'viesite-manager',
    roles: ['partner-manager'],
    projectId: 'LLI-317',
    partner: 'PP5',
  } satisfies Claims;
  const projectManager = { sub: 'zpr-manager', roles: ['project-manager'], projectId: 'LLI-317' } satisfies Claims;
  const secretariat = { sub: 'js-officer', roles: ['secretariat'], programmeId: 'LV-LT' } satisfies Claims;
  const viewer = { sub: 'grafana', roles: ['viewer'], programmeId: 'LV-LT' } satisfies Claims;

  describe('authentication', () => {
    const expectUnauthorized = (r: { status: number; body: Record<string, any>; headers: Headers }) => {
      expect(r.status).to.equal(401);
      expect(r.body).to.deep.equal({
        type: 'https://indicator-ledger.dev/problems/unauthorized',
        title: 'Unauthorized',
        status: 401,
        detail: 'A valid bearer token is required.',
      });
      expect(r.headers.get('www-authenticate')).to.equal('Bearer');
    };

    it('refuses requests without a token, with garbage, or signed with another secret', async () => {
      expectUnauthorized(await call(undefined, 'GET', P));
      expectUnauthorized(await call('Bearer not-a-jwt-at-all', 'GET', P));
      const forged = await new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('mallory')
        .setAudience('indicator-ledger')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('another-secret-0123456789abcdef0123'));
      expectUnauthorized(await call(`Bearer ${forged}`, 'GET', P));
    });

    it('refuses expired tokens, other audiences, unsigned tokens and incomplete scopes', async () => {
      const key = new TextEncoder().encode(testSecret);
      const expired = await new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('a')
        .setAudience('indicator-ledger')
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(key);
      expectUnauthorized(await call(`Bearer ${expired}`, 'GET', P));
      expectUnauthorized(
        await call(await bearer({ sub: 'a', roles: ['admin'] }, { audience: 'someone-else' }), 'GET', P),
      );
      const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'a', roles: ['admin'], aud: 'indicator-ledger', exp: 9999999999 })).toString('base64url')}.`;
      expectUnauthorized(await call(`Bearer ${none}`, 'GET', P));
      expectUnauthorized(
        await call(await as({ sub: 'x', roles: ['partner-manager'], projectId: 'LLI-317' }), 'GET', P),
      );
      expectUnauthorized(await call(await as({ sub: 'x', roles: ['superuser' as never] }), 'GET', P));
    });

    it('leaves health and the OpenAPI document public', async () => {
      expect((await fetch(`${system.opsUrl}/healthz`)).status).to.equal(200);
      expect((await fetch(`${system.url}/openapi.json`)).status).to.equal(200);
    });
  });

  describe('authorisation', () => {
    it('lets a partner manager write for their own partner only, and records them as the actor', async () => {
      const token = await as(partnerManager);
      const ok = await call(token, 'POST', `${P}/inclusion-measures`, measure('PP5'));
      expect(ok.status).to.equal(201);
      const stored = (await store.readStream('project-LLI-317')).find((e) => e.eventId === ok.body['eventId'])!;
      expect(stored.metadata.actor, 'an opaque id, not the token subject').to.match(/^actor_[A-Za-z0-9_-]{22}$/);
      expect((await call(token, 'POST', `${P}/inclusion-measures`, measure('PP2'))).status).to.equal(403);
      expect(
        (
          await call(token, 'POST', `${P}/partners`, {
            partnerCode: 'PP9',
            name: 'X',
            country: 'LV',
            nuts3: 'LV009',
            role: 'partner',
          })
        ).status,
      ).to.equal(403);
      const due = { reason: 'Reporting deadline' };
      expect((await call(token, 'POST', `${P}/reports/P1/submit`, { partner: 'PP5', ...due })).status).to.equal(201);
      expect((await call(token, 'POST', `${P}/reports/P1/submit`, due)).status).to.equal(403);
      expect((await call(token, 'POST', `${P}/reports/P1/approve`, { partner: 'PP5', ...due })).status).to.equal(403);
    });

    it("does not let a partner manager correct another partner's output, even into their own", async () => {
      const admin = await bearer();
      const other = await call(admin, 'POST', `${P}/inclusion-measures`, measure('PP2'));
      const r = await call(await as(partnerManager), 'POST', `${P}/corrections`, {
        correctsEventId: other.body['eventId'],
        replacement: { type: 'InclusionMeasureDelivered', data: measure('PP5') },
      });
      expect(r.status).to.equal(403);
    });

    it('lets a partner manager read their project, not another project nor programme aggregates', async () => {
      const token = await as(partnerManager);
      expect((await call(token, 'GET', P)).status).to.equal(200);
      expect((await call(token, 'GET', `${P}/indicators`)).status).to.equal(200);
      expect((await call(token, 'GET', '/v1/projects/LLI-425')).status).to.equal(404);
      expect((await call(token, 'GET', '/v1/programmes/LV-LT/indicators')).status).to.equal(404);
    });

    it("answers a project or programme outside the caller's scope exactly as one that does not exist", async () => {
      const token = await as(partnerManager);
      const same = (
        a: { status: number; body: Record<string, any> },
        b: { status: number; body: Record<string, any> },
        idA: string,
        idB: string,
      ) => {
        expect(a.status).to.equal(404);
        expect({ ...a.body, detail: String(a.body['detail']).replace(idA, 'ID') }).to.deep.equal({
          ...b.body,
          detail: String(b.body['detail']).replace(idB, 'ID'),
        });
      };
      same(
        await call(token, 'GET', '/v1/projects/LLI-425'),
        await call(token, 'GET', '/v1/projects/LLI-999'),
        'LLI-425',
        'LLI-999',
      );
      same(
        await call(token, 'POST', '/v1/projects/LLI-425/inclusion-measures', measure('PP5')),
        await call(token, 'POST', '/v1/projects/LLI-999/inclusion-measures', measure('PP5')),
        'LLI-425',
        'LLI-999',
      );
      // Not through a failed If-Match either (a 412 would tell the project's version).
      const other = await as({ sub: 'octopus-pm', roles: ['project-manager'], projectId: 'LLI-425' });
      const conditional = await fetch(`${system.url}${P}/inclusion-measures`, {
        method: 'POST',
        headers: { authorization: other, 'content-type': 'application/json', 'if-match': '"0"' },
        body: JSON.stringify(measure('PP5')),
      });
      expect(conditional.status).to.equal(404);
      const elsewhere = await as({ sub: 'ee', roles: ['secretariat'], programmeId: 'EE-LV' });
      same(
        await call(elsewhere, 'GET', '/v1/programmes/LV-LT/indicators'),
        await call(await as(secretariat), 'GET', '/v1/programmes/XX-YY/indicators'),
        'LV-LT',
        'XX-YY',
      );
    });

    it('lets a project manager run their project but not approve its reports', async () => {
      const token = await as(projectManager);
      expect(
        (await call(token, 'PUT', `${P}/targets`, { targets: [{ indicator: 'RCO85', value: 80 }] })).status,
      ).to.equal(201);
      const why = { reason: 'Reporting deadline' };
      expect((await call(token, 'POST', `${P}/reports/P2/submit`, why)).status).to.equal(201);
      expect((await call(token, 'POST', `${P}/reports/P2/approve`, why)).status).to.equal(403);
      expect((await call(token, 'POST', `${P}/reports/P2/reopen`, why)).status).to.equal(403);
      expect(
        (await call(token, 'POST', `${P}/reports/P2/submit`, { partner: 'PP2', ...why })).status,
        "a partner's report is its partner manager's",
      ).to.equal(403);
      expect(
        (await call(token, 'PUT', '/v1/projects/LLI-425/targets', { targets: [{ indicator: 'RCO85', value: 1 }] }))
          .status,
      ).to.equal(404);
      expect((await call(token, 'POST', '/v1/admin/rebuild')).status).to.equal(403);
    });

    it('lets the secretariat read every project of its programme, aggregate and approve, but not record outputs', async () => {
      const token = await as(secretariat);
      expect((await call(token, 'GET', '/v1/projects/LLI-425')).status).to.equal(200);
      expect((await call(token, 'GET', '/v1/programmes/LV-LT/indicators?groupBy=country')).status).to.equal(200);
      expect((await call(token, 'POST', `${P}/reports/P2/approve`, { reason: 'Verified' })).status).to.equal(201);
      expect(
        (await call(token, 'POST', `${P}/reports/P1/approve`, { partner: 'PP5', reason: 'Certified' })).status,
        'partner reports are certified by first-level control',
      ).to.equal(403);
      expect((await call(token, 'POST', `${P}/inclusion-measures`, measure('PP5'))).status).to.equal(403);
      const elsewhere = await as({ sub: 'ee', roles: ['secretariat'], programmeId: 'EE-LV' });
      expect((await call(elsewhere, 'GET', P)).status).to.equal(404);
    });

    it('lets first-level control certify and reopen the partner reports in its scope only', async () => {
      const lt = await as({ sub: 'flc-lt', roles: ['first-level-controller'], programmeId: 'LV-LT', country: 'LT' });
      const lv = await as({ sub: 'flc-lv', roles: ['first-level-controller'], programmeId: 'LV-LT', country: 'LV' });
      const own = await as({ sub: 'flc-pp7', roles: ['first-level-controller'], projectId: 'LLI-317', partner: 'PP7' });
      const pp7 = await as({ sub: 'pp7', roles: ['partner-manager'], projectId: 'LLI-317', partner: 'PP7' });
      const body = (partner: string) => ({ partner, reason: 'First-level control' });
      expect((await call(pp7, 'POST', `${P}/reports/P3/submit`, body('PP7'))).status).to.equal(201);
      expect((await call(lv, 'POST', `${P}/reports/P3/approve`, body('PP7'))).status, 'PP7 is in LT').to.equal(403);
      expect((await call(lt, 'GET', `${P}/indicators`)).status, 'reads the projects it controls').to.equal(200);
      expect((await call(lt, 'POST', `${P}/reports/P3/approve`, body('PP7'))).status).to.equal(201);
      expect((await call(own, 'POST', `${P}/reports/P3/reopen`, body('PP7'))).status).to.equal(201);
      expect((await call(own, 'POST', `${P}/reports/P3/reopen`, body('PP5'))).status).to.equal(403);
      expect(
        (await call(lt, 'POST', `${P}/reports/P3/approve`, { reason: 'x' })).status,
        'not the project report',
      ).to.equal(403);
      expect((await call(lt, 'POST', `${P}/inclusion-measures`, measure('PP7'))).status).to.equal(403);
      expect((await call(lt, 'GET', '/v1/programmes/LV-LT/indicators')).status).to.equal(404);
      const incomplete = await as({ sub: 'flc', roles: ['first-level-controller'], programmeId: 'LV-LT' });
      expect((await call(incomplete, 'GET', `${P}/indicators`)).status, 'a scope needs its country').to.equal(401);
    });

    it('lets viewers read programme aggregates only', async () => {
      const token = await as(viewer);
      expect((await call(token, 'GET', '/v1/programmes/LV-LT/indicators/RCO81/series')).status).to.equal(200);
      expect((await call(token, 'GET', '/v1/programmes/LV-LT/indicators')).status).to.equal(200);
      expect((await call(token, 'GET', `${P}/indicators`)).status).to.equal(404);
      expect((await call(token, 'GET', P)).status).to.equal(404);
      expect((await call(token, 'POST', `${P}/inclusion-measures`, measure('PP5'))).status).to.equal(404);
    });
  });

  describe('operations', () => {
    it('serves /metrics and health on the separate METRICS_PORT only', async () => {
      expect(system.opsUrl).to.not.equal(system.url);
      const metrics = await fetch(`${system.opsUrl}/metrics`);
      expect(metrics.status).to.equal(200);
      expect(await metrics.text()).to.include('il_http_request_duration_seconds');
      expect((await fetch(`${system.url}/metrics`)).status).to.equal(404);
      expect((await fetch(`${system.opsUrl}/readyz`)).status).to.equal(200);
    });

    it('refuses to start in production without a configured secret', async () => {
      let error: unknown;
      await authSetup(
        loadConfig({ NODE_ENV: 'production', DATA_DIR: mkdtempSync(join(tmpdir(), 'il-e2e-')) }),
        async () => 'unused',
      ).catch((e) => (error = e));
      expect((error as Error).message).to.match(/refusing to start in production without JWT_SECRET or JWT_JWKS_FILE/);
    });
  });
});

describe('privacy: keyed pseudonyms outside the event log', function () {
  this.timeout(120_000);
  let system: RunningService;
  let store: EventStore;
  let drop: () => Promise<void>;

  before(async () => {
    ({ system, store, stop: drop } = await startTestSystem());
    await loadSocQuality(system.url, { authorization: await bearer() });
  });
  after(async () => {
    await drop?.();
  });

  const pseudonyms = async (authorization: string, identifiers: string[]) => {
    const res = await fetch(`${system.url}/v1/projects/LLI-317/pseudonyms`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ identifiers }),
    });
    return { status: res.status, body: (await res.json()) as { pseudonyms: string[] } };
  };

  it('gives stable pseudonyms while the key exists, unlinkable ones after it is destroyed, and never logs identifiers', async () => {
    const manager = await bearer({
      sub: 'viesite-manager',
      roles: ['partner-manager'],
      projectId: 'LLI-317',
      partner: 'PP5',
    });
    const people = ['Anna Bērziņa 120389-12345', 'Jonas Jonaitis 38901011234'];
    const first = await pseudonyms(manager, people);
    expect(first.status).to.equal(200);
    expect((await pseudonyms(manager, [people[0]!.toUpperCase()])).body.pseudonyms[0]).to.equal(
      first.body.pseudonyms[0],
    );
    const events = JSON.stringify((await store.readAll({ limit: 10_000 })).events);
    for (const p of people) expect(events).to.not.include(p.split(' ')[0]!);
    expect((await pseudonyms(await bearer({ sub: 'g', roles: ['viewer'] }), people)).status).to.equal(404);

    const pm = await bearer({ sub: 'zpr', roles: ['project-manager'], projectId: 'LLI-317' });
    expect(
      (
        await fetch(`${system.url}/v1/projects/LLI-317/pseudonym-key`, {
          method: 'DELETE',
          headers: { authorization: manager },
        })
      ).status,
    ).to.equal(403);
    expect(
      (
        await fetch(`${system.url}/v1/projects/LLI-317/pseudonym-key`, {
          method: 'DELETE',
          headers: { authorization: pm },
        })
      ).status,
    ).to.equal(204);
    const after = await pseudonyms(manager, people);
    expect(after.body.pseudonyms).to.have.length(2);
    for (const p of after.body.pseudonyms) expect(first.body.pseudonyms).to.not.include(p);
  });
});
