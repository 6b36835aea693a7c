import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { engineUrl } from '@il/event-store/testing';
import { loadSocQuality } from '@il/standalone';
import { startTestSystem, type TestSystem } from './testSystem.js';
import { bearer } from './auth.js';

const kurrent = engineUrl('KURRENTDB_URL');
const mongo = engineUrl('MONGODB_URL');

/** The same HTTP scenario on each scale-out engine, selected by configuration only. */
const setups: { name: string; skipReason?: string | undefined; env: () => Record<string, string> }[] = [
  { name: 'EVENT_STORE=kurrentdb', skipReason: kurrent.skipReason, env: () => ({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: kurrent.url!, KURRENTDB_STREAM_PREFIX: `e2e${randomUUID().slice(0, 8)}-` }) },
  { name: 'READ_MODELS=mongodb', skipReason: mongo.skipReason, env: () => ({ READ_MODELS: 'mongodb', MONGODB_URL: mongo.url!, MONGODB_DATABASE: `il_e2e_${randomUUID().slice(0, 8)}` }) },
  {
    name: 'EVENT_STORE=kurrentdb and READ_MODELS=mongodb',
    skipReason: kurrent.skipReason ?? mongo.skipReason,
    env: () => ({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: kurrent.url!, KURRENTDB_STREAM_PREFIX: `e2e${randomUUID().slice(0, 8)}-`, READ_MODELS: 'mongodb', MONGODB_URL: mongo.url!, MONGODB_DATABASE: `il_e2e_${randomUUID().slice(0, 8)}` }),
  },
];

for (const setup of setups) {
  describe(`the system on ${setup.name}${setup.skipReason ? ` (skipped: ${setup.skipReason})` : ''}`, function () {
    this.timeout(120_000);
    let t: TestSystem;
    let admin: string;
    before(async function () {
      if (setup.skipReason) this.skip();
      admin = await bearer();
      t = await startTestSystem(setup.env());
    });
    after(async () => t?.stop());

    it('records the SocQuality scenario and answers its indicator numbers after the write position', async () => {
      const loaded = await loadSocQuality(t.url, { authorization: admin });
      const res = await fetch(`${t.url}/v1/projects/LLI-317/indicators?period=P3&minPosition=${loaded.lastPosition}`, { headers: { authorization: admin } });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as { indicators: { code: string; periodValue: number; cumulativeValue: number }[] };
      expect(body.indicators.find((i) => i.code === 'RCO81')).to.deep.include({ periodValue: 46, cumulativeValue: 155 });
      const ready = await fetch(`${t.url}/readyz`);
      expect(ready.status).to.equal(200);
    });
  });
}
