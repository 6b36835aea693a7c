import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type RunningService } from '@il/runtime';
import { loadSocQuality, startSystem } from '@il/standalone';
import { startTestSystem, type TestSystem, withoutRelay } from './testSystem.js';
import { bearer, testSecret } from './auth.js';

const P = '/v1/projects/LLI-317';
const camp = (partner: string, campId: string) => ({
  partner,
  campId,
  startDate: '2019-07-08',
  endDate: '2019-07-12',
  location: 'Rokiškis',
  country: 'LT',
  participants: { total: 12, crossBorder: 4 },
});

describe('two write processes on one database: authorisation on the state the command is decided on', function () {
  this.timeout(120_000);
  let a: TestSystem;
  let b: RunningService;
  let admin: string;

  before(async () => {
    a = await startTestSystem();
    admin = await bearer();
    await loadSocQuality(a.url, { authorization: admin });
    b = await startSystem(
      loadConfig({
        PORT: '0',
        DATABASE_URL: a.connectionString,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'il-e2e-')),
        LOG_LEVEL: 'silent',
        JWT_SECRET: testSecret,
      }),
      withoutRelay(process.env),
    );
  });
  after(async () => {
    await b?.stop();
    await a?.stop();
  });

  const post = async (base: string, authorization: string, path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it("refuses another partner's output to a partner manager whose process had not seen it yet", async () => {
    // B caches the project, then A records PP2's camp: B's cached state does not know it.
    expect((await post(b.url, admin, `${P}/camps`, camp('PP7', 'two-writers-warm'))).status).to.equal(201);
    const pp2 = await post(a.url, admin, `${P}/camps`, camp('PP2', 'two-writers-pp2'));
    expect(pp2.status).to.equal(201);

    const lead = await bearer({ sub: 'lead-manager', roles: ['partner-manager'], projectId: 'LLI-317', partner: 'LP' });
    const correction = await post(b.url, lead, `${P}/corrections`, {
      correctsEventId: pp2.body['eventId'],
      replacement: { type: 'CampHeld', data: camp('LP', 'two-writers-pp2') },
    });
    expect(correction.status, JSON.stringify(correction.body)).to.equal(403);
    const retraction = await post(b.url, lead, `${P}/retractions`, {
      retractsEventId: pp2.body['eventId'],
      reason: 'not ours',
    });
    expect(retraction.status, JSON.stringify(retraction.body)).to.equal(403);

    const stored = (await a.store.readStream('project-LLI-317')).filter(
      (e) => e.type === 'OutputCorrected' || e.type === 'OutputRetracted',
    );
    expect(stored.filter((e) => JSON.stringify(e.data).includes(pp2.body['eventId'] as string))).to.deep.equal([]);

    // PP2's own manager may still correct it through B.
    const own = await bearer({ sub: 'auce-manager', roles: ['partner-manager'], projectId: 'LLI-317', partner: 'PP2' });
    expect(
      (await post(b.url, own, `${P}/retractions`, { retractsEventId: pp2.body['eventId'], reason: 'recorded twice' }))
        .status,
    ).to.equal(201);
  });
});
