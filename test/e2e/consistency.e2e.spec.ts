import { expect } from 'chai';
import { firstSocQualityOutput } from '@il/domain';
import { startDemoSystem, type TestSystem } from './testSystem.js';

const P = '/v1/projects/LLI-317';

/** What does not exist is a 404 on every route, units say what the numbers are, a bad date is a 400. */
describe('consistency: 404 for what does not exist, units, malformed dates', function () {
  this.timeout(120_000);
  let t: TestSystem & { admin: string; lastPosition: string };
  before(async () => {
    t = await startDemoSystem();
  });
  after(async () => t?.stop());

  const get = async (path: string) => {
    const sep = path.includes('?') ? '&' : '?';
    const res = await fetch(`${t.url}${path}${sep}minPosition=${t.lastPosition}`, {
      headers: { authorization: t.admin },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers 404 for an unknown indicator, partner or programme, as for an unknown period', async () => {
    for (const path of [
      `${P}/indicators/NOPE/evidence`,
      `${P}/indicators?partner=PP9`,
      '/v1/programmes/NOPE/indicators',
      '/v1/programmes/NOPE/projects/behind-target',
      '/v1/programmes/NOPE/indicators/RCO81/series',
      '/v1/programmes/LV-LT/indicators/NOPE/series',
      `${P}/indicators?period=P9`,
      '/v1/projects/NOPE-1/indicators',
    ]) {
      const { status, body } = await get(path);
      expect(status, path).to.equal(404);
      expect(String(body['type']), path).to.match(/not-found$/);
    }
    expect((await get(`${P}/indicators?partner=PP5`)).status).to.equal(200);
    expect((await get(`${P}/indicators/RCO81/evidence`)).status).to.equal(200);
  });

  it('reads the project, a partner, the targets and the programme as documented (the response check sees them)', async () => {
    for (const path of [P, `${P}/partners/PP5`, `${P}/targets`, '/v1/programmes/LV-LT'])
      expect((await get(path)).status, path).to.equal(200);
  });

  it('says that money is in cents', async () => {
    const { body } = await get(`${P}/indicators?period=P4`);
    const exp = (body['indicators'] as { code: string; unit: string }[]).find((i) => i.code === 'EXP')!;
    expect(exp.unit).to.equal('EUR cents');
  });

  it('answers a date that is not a real date with 400 validation-failed naming the field', async () => {
    const res = await fetch(`${t.url}${P}/camps`, {
      method: 'POST',
      headers: { authorization: t.admin, 'content-type': 'application/json' },
      body: JSON.stringify({
        ...firstSocQualityOutput('CampHeld').data,
        campId: 'leap',
        startDate: '2019-02-29',
        endDate: '2019-03-01',
      }),
    });
    expect(res.status).to.equal(400);
    const body = (await res.json()) as { type: string; errors: { path: string }[] };
    expect(body.type).to.match(/validation-failed$/);
    expect(body.errors.map((e) => e.path)).to.deep.equal(['startDate']);
  });

  it('accepts a moment as an instant with an offset and stores the date it was in the programme time zone', async () => {
    const publicEvent = { ...firstSocQualityOutput('PublicEventHeld').data, publicEventId: 'late-evening' };
    const res = await fetch(`${t.url}${P}/public-events`, {
      method: 'POST',
      headers: { authorization: t.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ ...publicEvent, date: '2019-11-30T22:30:00Z' }),
    });
    expect(res.status).to.equal(201);
    const read = await fetch(`${t.url}${P}/public-events/late-evening`, { headers: { authorization: t.admin } });
    expect(((await read.json()) as { date: string }).date).to.equal('2019-12-01');
    const local = await fetch(`${t.url}${P}/public-events`, {
      method: 'POST',
      headers: { authorization: t.admin, 'content-type': 'application/json' },
      body: JSON.stringify({ ...publicEvent, publicEventId: 'no-offset', date: '2019-11-30T22:30:00' }),
    });
    expect(local.status).to.equal(400);
  });
});
