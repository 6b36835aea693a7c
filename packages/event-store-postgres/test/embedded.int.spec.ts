import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEvent } from '@il/event-store/contract';
import { createPostgresEventStore, openDatabase } from '../src/index.js';

describe('embedded PostgreSQL', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'il-embedded-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('initialises a data dir on first start and finds the same events on the next', async () => {
    if (process.env['DATABASE_URL']) return; // covered by the external server
    const dataDir = join(dir, 'data');
    const first = await openDatabase({ dataDir });
    expect(first.embedded).to.equal(true);
    let store = await createPostgresEventStore({ connectionString: first.connectionString });
    const written = await store.appendToStream('project-LLI-317', [newEvent()], { expectedVersion: 'no-stream' });
    await store.close();
    await first.stop();

    const second = await openDatabase({ dataDir });
    store = await createPostgresEventStore({ connectionString: second.connectionString });
    const read = await store.readStream('project-LLI-317');
    await store.close();
    await second.stop();
    expect(read.map((e) => e.eventId)).to.deep.equal([written.events[0]!.eventId]);
  });

  it('uses DATABASE_URL as is when given, without starting anything', async () => {
    const db = await openDatabase({ databaseUrl: 'postgres://u:p@127.0.0.1:1/x', dataDir: join(dir, 'unused') });
    expect(db).to.include({ embedded: false, connectionString: 'postgres://u:p@127.0.0.1:1/x' });
    await db.stop();
  });
});
