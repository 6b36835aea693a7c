import { expect } from 'chai';
import pg from 'pg';
import { loadSocQuality } from '@il/standalone';
import { startTestSystem, type TestSystem } from './testSystem.js';
import { bearer } from './auth.js';

const P = '/v1/projects/LLI-317';

describe('privacy: no token claim reaches the event log', function () {
  this.timeout(120_000);
  let t: TestSystem;
  before(async () => {
    t = await startTestSystem();
    await loadSocQuality(t.url, { authorization: await bearer({ sub: 'admin.person@zpr.lv', roles: ['admin'] }) });
  });
  after(async () => t?.stop());

  const post = async (authorization: string, path: string, body: unknown) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('records an opaque actor id, one per person, with the mapping kept outside the log', async () => {
    const anna = await bearer({
      sub: 'anna.berzina@viesite.lv',
      roles: ['partner-manager'],
      projectId: 'LLI-317',
      partner: 'PP5',
    });
    const measure = (id: string) => ({
      partner: 'PP5',
      measureId: id,
      date: '2019-05-15',
      sessions: 1,
      participants: 5,
    });
    expect((await post(anna, `${P}/inclusion-measures`, measure('privacy-1'))).status).to.equal(201);
    expect((await post(anna, `${P}/inclusion-measures`, measure('privacy-2'))).status).to.equal(201);

    const { events } = await t.store.readAll({ limit: 100_000 });
    const log = JSON.stringify(events);
    for (const claim of ['anna.berzina', 'viesite.lv', 'admin.person', 'zpr.lv', 'partner-manager'])
      expect(log, claim).to.not.include(claim);
    const actors = new Set(events.map((e) => (e.metadata as { actor: string }).actor));
    for (const a of actors) expect(a).to.match(/^actor_[A-Za-z0-9_-]{22}$/);
    const annas = events
      .filter((e) => JSON.stringify(e.data).includes('privacy-'))
      .map((e) => (e.metadata as { actor: string }).actor);
    expect(new Set(annas).size, 'one id for one person').to.equal(1);
    expect(actors.size).to.equal(2);

    const sql = new pg.Client({ connectionString: t.connectionString });
    sql.on('error', () => undefined);
    await sql.connect();
    try {
      const { rows } = await sql.query('select subject from il_actors where actor_id = $1', [annas[0]]);
      expect(rows).to.deep.equal([{ subject: 'anna.berzina@viesite.lv' }]);
    } finally {
      await sql.end();
    }
  });

  it('refuses bidirectional control characters in text fields', async () => {
    const admin = await bearer();
    const res = await post(admin, `${P}/camps`, {
      partner: 'PP7',
      campId: 'bidi',
      startDate: '2019-07-08',
      endDate: '2019-07-12',
      location: 'Rok\u202Eiškis',
      country: 'LT',
      participants: { total: 5, crossBorder: 1 },
    });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).to.deep.equal([
      'location',
    ]);
  });
});
