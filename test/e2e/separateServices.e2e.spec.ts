import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { freePort } from '@il/event-store-postgres';
import { repoRoot } from '@il/event-store/testing';
import { createTestDatabase } from '@il/event-store-postgres/testing';
import { withoutRelay } from './testSystem.js';

const root = repoRoot();

describe('each write service runs as its own process', function () {
  this.timeout(120_000);
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => db?.drop());

  for (const [service, path] of [
    ['registry', '/v1/programmes'],
    ['activities', '/v1/projects/{projectId}/camps'],
    ['infrastructure', '/v1/projects/{projectId}/equipment'],
  ] as const) {
    it(`${service}: serves its own routes on a shared database and stops on SIGTERM`, async () => {
      const port = await freePort();
      const child = spawn(process.execPath, [join(root, 'services', service, 'dist', 'src', 'main.js')], {
        env: {
          ...withoutRelay(process.env),
          PORT: String(port),
          DATABASE_URL: db.connectionString,
          LOG_LEVEL: 'silent',
        },
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      try {
        let doc: { paths: Record<string, unknown>; info: { title: string } } | undefined;
        for (let i = 0; i < 300 && !doc && child.exitCode === null; i++) {
          doc = await fetch(`http://127.0.0.1:${port}/openapi.json`).then(
            (r) => r.json() as never,
            () => undefined,
          );
          if (!doc) await new Promise((r) => setTimeout(r, 100));
        }
        expect(doc?.info.title).to.equal(`Indicator Ledger — ${service}`);
        expect(doc?.paths).to.have.property(path);
        expect(Object.keys(doc!.paths).length).to.be.below(20);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).to.equal(0);
    });
  }
});
