import { repoRoot } from '@il/event-store/testing';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '@il/event-store-postgres';
import { loadSocQuality } from '@il/standalone';
import { startTestSystem, type TestSystem, withoutRelay } from './testSystem.js';
import { bearer } from './auth.js';

const root = repoRoot();

describe('relay service: its own process publishing the committed log (file sink; Kafka in the engine suites)', function () {
  this.timeout(120_000);
  let t: TestSystem;
  let dir: string;
  before(async () => {
    t = await startTestSystem();
    dir = mkdtempSync(join(tmpdir(), 'il-relay-e2e-'));
  });
  after(async () => {
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes every SocQuality event once to the LV-LT topic, reports its checkpoint and metrics, and stops on SIGTERM', async () => {
    const loaded = await loadSocQuality(t.url, { authorization: await bearer() });
    const port = await freePort();
    const child = spawn(process.execPath, [join(root, 'services', 'relay', 'dist', 'src', 'main.js')], {
      env: {
        ...withoutRelay(process.env),
        PORT: String(port),
        DATABASE_URL: t.connectionString,
        LOG_LEVEL: 'silent',
        RELAY_SINK: 'file',
        RELAY_FILE_DIR: dir,
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const file = join(dir, 'indicator-ledger.LV-LT.events.jsonl');
    const lines = () =>
      existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { id: string; ilposition: string })
        : [];
    try {
      for (let i = 0; i < 300 && lines().at(-1)?.ilposition !== loaded.lastPosition && child.exitCode === null; i++)
        await new Promise((r) => setTimeout(r, 100));
      const stored = [
        ...(await t.store.readStream('programme-LV-LT')),
        ...(await t.store.readStream('project-LLI-317')),
      ];
      expect(
        lines()
          .map((e) => e.id)
          .sort(),
      ).to.deep.equal(stored.map((e) => e.eventId).sort());
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as {
        relay: { checkpoint: string; lagEvents: number };
      };
      expect(ready.relay).to.deep.include({ checkpoint: loaded.lastPosition, lagEvents: 0 });
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).to.match(new RegExp(`il_relay_published_total\\{service="relay"\\} ${stored.length}\\b`));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).to.equal(0);
  });
});
