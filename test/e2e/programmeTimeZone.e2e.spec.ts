import { expect } from 'chai';
import { addDays, firstSocQualityOutput, localDateOf, socQualityPartners, socQualityProject } from '@il/domain';
import { bearer } from './auth.js';
import { startTestSystem, type TestSystem } from './testSystem.js';

/**
 * "Today" on the query side is the programme's own: a programme on Kiritimati (UTC+14) and one on Pago Pago
 * (UTC−11) are always on different calendar dates, so a query side that used one zone for every programme (it
 * used Riga's) answers at least one of them wrongly at any hour.
 */
describe('query side: today in each programme’s own time zone', function () {
  this.timeout(120_000);
  let t: TestSystem;
  let admin: string;
  before(async () => {
    t = await startTestSystem();
    admin = await bearer();
  });
  after(async () => t?.stop());

  const register = async (programmeId: string, timeZone: string): Promise<string> => {
    const res = await fetch(`${t.url}/v1/programmes`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ programmeId, name: programmeId, timeZone, catalogue: 'interreg-2021-2027' }),
    });
    expect(res.status).to.equal(201);
    return ((await res.json()) as { position: string }).position;
  };

  it('answers behind-target with today’s date where the programme is', async () => {
    for (const [programmeId, timeZone] of [
      ['EAST-1', 'Pacific/Kiritimati'],
      ['WEST-1', 'Pacific/Pago_Pago'],
    ] as const) {
      const position = await register(programmeId, timeZone);
      const before = localDateOf(new Date(), timeZone);
      const res = await fetch(`${t.url}/v1/programmes/${programmeId}/projects/behind-target?minPosition=${position}`, {
        headers: { authorization: admin },
      });
      expect(res.status).to.equal(200);
      const { today } = (await res.json()) as { today: string };
      // Around midnight there the date may move on between the two readings; either side of it is right.
      expect([before, localDateOf(new Date(), timeZone)]).to.include(today);
    }
  });

  it('reads a date-only asOf as the end of that day where the programme is', async () => {
    // Pago Pago is UTC-11: whatever the hour, today there began at least 11 hours after today's UTC midnight, so an
    // asOf read as UTC midnight would miss everything recorded today; read as the end of the local day, it has it.
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${t.url}${path}`, {
        method: path.endsWith('targets') ? 'PUT' : 'POST',
        headers: { authorization: admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, path).to.equal(201);
      return ((await res.json()) as { position: string }).position;
    };
    await register('WEST-2', 'Pacific/Pago_Pago');
    await post('/v1/projects', { ...socQualityProject, projectId: 'W-1', programmeId: 'WEST-2' });
    const campData = firstSocQualityOutput('CampHeld').data;
    const partner = socQualityPartners.find((p) => p.data.partnerCode === campData.partner)!.data;
    await post('/v1/projects/W-1/partners', partner);
    const position = await post('/v1/projects/W-1/camps', firstSocQualityOutput('CampHeld').data);
    const today = localDateOf(new Date(), 'Pacific/Pago_Pago');
    const rco81 = async (asOf: string) => {
      const res = await fetch(`${t.url}/v1/projects/W-1/indicators?asOf=${asOf}&minPosition=${position}`, {
        headers: { authorization: admin },
      });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { indicators: { code: string; cumulativeValue: number }[] };
      return body.indicators.find((i) => i.code === 'RCO81')!.cumulativeValue;
    };
    const camp = firstSocQualityOutput('CampHeld').data.participants.crossBorder;
    expect(await rco81(today)).to.equal(camp);
    expect(await rco81(addDays(today, -1))).to.equal(0);
  });

  it('answers 404 for a programme that does not exist', async () => {
    const res = await fetch(`${t.url}/v1/programmes/NOPE-9/projects/behind-target`, {
      headers: { authorization: admin },
    });
    expect(res.status).to.equal(404);
  });
});
