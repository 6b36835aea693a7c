import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '../embedded/embeddedPostgres.js';

let server: Promise<RunningPostgres> | undefined;

function baseUrl(): Promise<string> {
  if (process.env['DATABASE_URL']) return Promise.resolve(process.env['DATABASE_URL']);
  server ??= startEmbeddedPostgres({
    dataDir: join(mkdtempSync(join(tmpdir(), 'il-test-pg-')), 'data'),
    ephemeral: true,
  });
  return server.then((s) => s.connectionString);
}

/**
 * A fresh, empty database on the real PostgreSQL used by the tests: the embedded server (started once per test
 * process) or the server of DATABASE_URL. Every suite gets its own, so suites never see each other's events.
 */
export async function createTestDatabase(): Promise<{ connectionString: string; drop(): Promise<void> }> {
  const base = await baseUrl();
  const name = `il_test_${randomBytes(6).toString('hex')}`;
  await onAdminClient(base, (c) => c.query(`create database ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    connectionString: url.toString(),
    async drop() {
      await onAdminClient(base, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** One statement on a short-lived client; a connection lost meanwhile fails the statement, not the test process. */
async function onAdminClient(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

export async function stopTestServer(): Promise<void> {
  const s = server;
  server = undefined;
  if (s) await (await s).stop();
}

/** Root hooks for mocha (`require` it from .mocharc): stops the embedded server after the last test. */
export const mochaHooks = {
  async afterAll(this: unknown) {
    await stopTestServer();
  },
};
