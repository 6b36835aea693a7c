import { repoRoot } from '@il/event-store/testing';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '@il/event-store-postgres';
import { withoutRelay } from './testSystem.js';

const root = repoRoot();
const main = join(root, 'services', 'standalone', 'dist', 'src', 'main.js');

async function waitFor(url: string, ms: number, alive: () => boolean): Promise<Response> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fetch(url);
    } catch (e) {
      if (Date.now() > deadline || !alive()) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('npm start (standalone process on the embedded default)', function () {
  this.timeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'il-e2e-start-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  async function runOnce(): Promise<{ health: unknown; ready: number; exitCode: number | null }> {
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      env: {
        ...withoutRelay(process.env),
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const health = await (
        await waitFor(`http://127.0.0.1:${port}/healthz`, 90_000, () => child.exitCode === null)
      ).json();
      const ready = (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
      child.kill('SIGTERM');
      const exitCode = await exited;
      return { health, ready, exitCode };
    } catch (e) {
      child.kill('SIGKILL');
      throw new Error(`standalone did not answer: ${String(e)}\n${stderr}`, { cause: e });
    }
  }

  it('starts embedded PostgreSQL, answers /healthz and /readyz, and stops cleanly on SIGTERM', async () => {
    const first = await runOnce();
    expect(first).to.deep.equal({ health: { status: 'ok', service: 'standalone' }, ready: 200, exitCode: 0 });
  });

  it('starts again on the same data dir (the database is reused, not re-created)', async () => {
    const second = await runOnce();
    expect(second.exitCode).to.equal(0);
    expect(second.ready).to.equal(200);
  });

  it('prints a clearly marked development admin token that the API accepts', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      env: { ...withoutRelay(process.env), PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitFor(`http://127.0.0.1:${port}/healthz`, 90_000, () => child.exitCode === null);
      const line = stdout.split('\n').find((l) => l.includes('DEVELOPMENT ADMIN TOKEN'));
      expect(line, stdout).to.be.a('string');
      const token = (JSON.parse(line!) as { token: string }).token;
      expect(
        (await fetch(`http://127.0.0.1:${port}/v1/programmes/LV-LT`, { headers: { authorization: `Bearer ${token}` } }))
          .status,
      ).to.equal(404);
      expect((await fetch(`http://127.0.0.1:${port}/v1/programmes/LV-LT`)).status).to.equal(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).to.equal(0);
  });

  it('exits with a readable message on bad configuration', async () => {
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, PORT: 'eighty', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).to.equal(1);
    expect(stderr).to.match(/invalid configuration:\n\s+PORT:/);
  });
});
