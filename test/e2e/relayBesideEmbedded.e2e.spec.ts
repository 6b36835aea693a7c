import { repoRoot } from '@il/event-store/testing';
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { socQualityProgramme } from '@il/domain';
import { freePort } from '@il/event-store-postgres';
import { withoutRelay } from './testSystem.js';

const root = repoRoot();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A service process with its stdout collected as log lines. */
function start(service: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [join(root, 'services', service, 'dist', 'src', 'main.js')], {
    env: { ...withoutRelay(process.env), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { text: '' };
  child.stdout.on('data', (c: Buffer) => (out.text += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out.text += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    child,
    out,
    exited,
    lines: () =>
      out.text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  for (const deadline = Date.now() + ms; !(await check()); await sleep(100))
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
}
const answers = (url: string) =>
  fetch(url).then(
    (r) => r.ok,
    () => false,
  );
async function stop(p: { child: ChildProcess; exited: Promise<number | null> }) {
  p.child.kill('SIGTERM');
  return p.exited;
}

describe('the relay beside the embedded default', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'il-e2e-relay-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs in the standalone process when RELAY_SINK is set, and a separate relay reaches the embedded PostgreSQL it prints', async () => {
    const port = await freePort();
    const standalone = start('standalone', {
      PORT: String(port),
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: '',
      RELAY_SINK: 'file',
      RELAY_FILE_DIR: join(dir, 'in-process'),
    });
    try {
      await until(() => answers(`http://127.0.0.1:${port}/readyz`), 'the standalone process');
      const lines = standalone.lines();
      for (const l of lines) expect(l, JSON.stringify(l)).to.include.keys('time', 'level');
      const token = lines.find((l) => String(l['msg']).startsWith('DEVELOPMENT ADMIN TOKEN'))!['token'] as string;
      const databaseUrl = lines.find((l) => l['msg'] === 'embedded PostgreSQL started')!['databaseUrl'] as string;
      expect(databaseUrl).to.match(/^postgres:\/\/[^@]+@127\.0\.0\.1:\d+\//);

      const res = await fetch(`http://127.0.0.1:${port}/v1/programmes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...socQualityProgramme, catalogue: 'lv-lt-2014-2020' }),
      });
      expect(res.status).to.equal(201);
      const { eventId } = (await res.json()) as { eventId: string };
      const file = join(dir, 'in-process', 'indicator-ledger.LV-LT.events.jsonl');
      await until(
        () => existsSync(file) && readFileSync(file, 'utf8').includes(eventId),
        'the in-process relay to publish',
      );
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as Record<string, unknown>;
      expect(ready).to.include.keys('relay', 'projection');

      const sql = new pg.Client({ connectionString: databaseUrl });
      sql.on('error', () => undefined);
      await sql.connect();
      await sql.end();

      const relayPort = await freePort();
      const relay = start('relay', {
        PORT: String(relayPort),
        DATA_DIR: join(dir, 'relay-data'),
        DATABASE_URL: databaseUrl,
        RELAY_SINK: 'file',
        RELAY_NAME: 'separate',
        RELAY_FILE_DIR: join(dir, 'separate'),
      });
      try {
        const separate = join(dir, 'separate', 'indicator-ledger.LV-LT.events.jsonl');
        await until(
          () => existsSync(separate) && readFileSync(separate, 'utf8').includes(eventId),
          'the separate relay to publish',
        );
        expect(relay.out.text, 'a process with no /v1 routes prints no admin token').to.not.include(
          'DEVELOPMENT ADMIN TOKEN',
        );
      } finally {
        expect(await stop(relay)).to.equal(0);
      }
    } finally {
      const code = await stop(standalone);
      expect(code, standalone.out.text.slice(-3000)).to.equal(0);
    }
  });
});
