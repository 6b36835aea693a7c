import type { EventStore } from '@il/event-store';
import { createTestDatabase } from '@il/event-store-postgres/testing';
import { createPostgresEventStore } from '@il/event-store-postgres';
import type pg from 'pg';
import type { ReadModels } from '@il/projections';
import { createPostgresReadModels } from '../src/index.js';
import { append, camp, projectStream, registerSocQuality, waitForCheckpoint } from './fixtures/scenario.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('background errors reach the given handler', function () {
  this.timeout(60_000);
  let drop: () => Promise<void>;
  let store: EventStore & { pool: pg.Pool };
  let models: ReadModels & { pool: pg.Pool };
  const errors: { source: string; message: string }[] = [];

  before(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    store = await createPostgresEventStore({ connectionString: db.connectionString });
    models = await createPostgresReadModels({
      connectionString: db.connectionString,
      store,
      onError: (source, e) => errors.push({ source, message: (e as Error).message }),
    });
    await registerSocQuality(store);
  });
  after(async () => {
    await models?.close();
    await store?.close();
    await drop?.();
  });

  const refuse = (table: string) =>
    models.pool
      .query(`create or replace function il_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by test'; end $$;
    create trigger il_test_refuse before insert or update on ${table} for each row execute function il_test_refuse()`);
  const allow = (table: string) => models.pool.query(`drop trigger il_test_refuse on ${table}`);
  async function until(check: () => boolean, what: string) {
    for (const deadline = Date.now() + 20_000; !check(); await sleep(50))
      if (Date.now() > deadline) throw new Error(`no ${what} reported: ${JSON.stringify(errors)}`);
  }

  it("reports the projector's failed batches, and the projector carries on once they succeed", async () => {
    const projector = await models.startProjector();
    try {
      await refuse('il_view_contributions');
      await append(store, projectStream, [camp(1)]);
      await until(
        () => errors.some((e) => e.source === 'projector' && /refused by test/.test(e.message)),
        'projector failure',
      );
      await allow('il_view_contributions');
      await waitForCheckpoint(store, models.checkpoint, 20_000, [projectStream]);
    } finally {
      await projector.stop();
    }
  });
});
