import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createPostgresEventStore,
  freePort,
  startEmbeddedPostgres,
  type RunningPostgres,
} from '@il/event-store-postgres';
import { loadConfig, type RunningService } from '@il/runtime';
import { loadSocQuality, startSystem } from '@il/standalone';
import { bearer, testSecret } from './auth.js';
import { withoutRelay } from './testSystem.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('faults: the database restarts under write load', function () {
  this.timeout(300_000);
  const dataDir = join(mkdtempSync(join(tmpdir(), 'il-fault-')), 'pg');
  let port: number;
  let pg: RunningPostgres;
  let system: RunningService;
  let admin: string;

  before(async () => {
    admin = await bearer();
    port = await freePort();
    pg = await startEmbeddedPostgres({ dataDir, port });
    system = await startSystem(
      loadConfig({
        PORT: '0',
        DATABASE_URL: pg.connectionString,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'il-e2e-')),
        LOG_LEVEL: 'silent',
        JWT_SECRET: testSecret,
        WRITES_PER_MINUTE: '0',
      }),
      withoutRelay(process.env),
    );
    await loadSocQuality(system.url, { authorization: admin });
  });
  after(async () => {
    await system?.stop();
    await pg?.stop();
  });

  it('answers 503 while it is down, accepts the same writes after, and stores each acknowledged write exactly once', async () => {
    const statuses = new Map<number, number>();
    const writes = 60;
    let acknowledged = 0;
    const writer = (async () => {
      for (let i = 0; i < writes; i++) {
        const body = JSON.stringify({
          partner: 'PP7',
          campId: `fault-${i}`,
          startDate: '2019-07-08',
          endDate: '2019-07-12',
          location: 'Rokiškis',
          country: 'LT',
          participants: { total: 10, crossBorder: 3 },
        });
        for (let attempt = 0; ; attempt++) {
          expect(attempt, 'a write kept failing after the restart').to.be.below(400);
          const res = await fetch(`${system.url}/v1/projects/LLI-317/camps`, {
            method: 'POST',
            headers: { authorization: admin, 'content-type': 'application/json', 'idempotency-key': `fault-${i}` },
            body,
          }).catch(() => undefined);
          const status = res?.status ?? 0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 201) {
            acknowledged++;
            break;
          }
          expect(status, await res?.text()).to.be.oneOf([503]);
          await sleep(50);
        }
        await sleep(10);
      }
    })();
    for (let i = 0; i < 3000 && acknowledged < 10; i++) await sleep(10);
    await pg.stop();
    await sleep(1500);
    pg = await startEmbeddedPostgres({ dataDir, port });
    await writer;

    expect(statuses.get(500) ?? 0).to.equal(0);
    expect(statuses.get(503) ?? 0, 'writes failed cleanly while the database was down').to.be.above(0);
    expect(acknowledged).to.equal(writes);
    const store = await createPostgresEventStore({ connectionString: pg.connectionString, migrate: false });
    const stream = await store.readStream('project-LLI-317');
    const camps = stream.filter((e) => e.type === 'CampHeld' && String(e.data['campId']).startsWith('fault-'));
    // The stream's last position, not headPosition: the visible head lags while any older transaction is open.
    const head = stream.at(-1)!;
    await store.close();
    expect(camps.map((e) => e.data['campId'])).to.deep.equal(Array.from({ length: writes }, (_, i) => `fault-${i}`));

    const get = async (path: string) =>
      (await fetch(`${system.url}${path}`, { headers: { authorization: admin } })).json() as Promise<{
        indicators: { code: string; cumulativeValue: number }[];
      }>;
    let live: Awaited<ReturnType<typeof get>> | undefined;
    for (let i = 0; i < 200 && !live?.indicators; i++) {
      live = await get(`/v1/projects/LLI-317/indicators?period=P4&minPosition=${head.position}`).catch(() => undefined);
      if (!live?.indicators) await sleep(100);
    }
    expect(live!.indicators.find((x) => x.code === 'RCO81')!.cumulativeValue).to.equal(208 + writes * 3);
    expect(
      (await fetch(`${system.url}/v1/admin/rebuild`, { method: 'POST', headers: { authorization: admin } })).status,
    ).to.equal(200);
    expect(
      (await get('/v1/projects/LLI-317/indicators?period=P4')).indicators,
      'views equal a rebuild from zero',
    ).to.deep.equal(live!.indicators);
  });
});
