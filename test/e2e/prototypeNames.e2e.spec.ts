import { expect } from 'chai';
import { startDemoSystem, type TestSystem } from './testSystem.js';

const P = '/v1/projects/LLI-317';
const names = [
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
];

describe('Object.prototype names as identifiers', function () {
  this.timeout(120_000);
  let t: TestSystem;
  let admin: string;
  before(async () => {
    const demo = await startDemoSystem();
    t = demo;
    admin = demo.admin;
  });
  after(async () => t?.stop());

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: { authorization: admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('are refused as partner codes, for outputs, partners, targets and reports, and nothing is stored', async () => {
    const head = (await t.store.headPosition()).position;
    for (const name of names) {
      const camp = await call('POST', `${P}/camps`, {
        partner: name,
        campId: `proto-${name}`,
        startDate: '2019-07-08',
        endDate: '2019-07-12',
        location: 'X',
        country: 'LT',
        participants: { total: 5, crossBorder: 1 },
      });
      expect(camp.status, `camp for ${name}`).to.equal(400);
      expect(camp.body['errors']).to.deep.include({
        path: 'partner',
        message: 'is a reserved name (a property of every JavaScript object)',
      });
      const join = await call('POST', `${P}/partners`, {
        partnerCode: name,
        name: 'Nobody',
        country: 'LV',
        nuts3: 'LV009',
        role: 'partner',
      });
      expect(join.status, `join ${name}`).to.equal(400);
      expect(
        (await call('PUT', `${P}/targets`, { targets: [{ indicator: 'RCO81', partner: name, value: 3 }] })).status,
        `target for ${name}`,
      ).to.equal(400);
      expect((await call('POST', `${P}/reports/P2/submit`, { partner: name })).status, `report for ${name}`).to.equal(
        400,
      );
      expect((await call('GET', `${P}/indicators?partner=${name}`)).status, `query for ${name}`).to.equal(400);
    }
    expect((await t.store.headPosition()).position).to.equal(head);
  });

  it('find nothing when looked up', async () => {
    for (const name of [...names, '__proto__']) {
      const res = await call('GET', `${P}/partners/${name}`);
      expect(res.status, name).to.equal(404);
      expect((await call('GET', `${P}/camps/${name}`)).status, name).to.be.oneOf([400, 404]);
      expect((await call('GET', `${P}/outputs/${name}`)).status, name).to.equal(404);
    }
  });
});
