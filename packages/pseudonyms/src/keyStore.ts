import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { runMigrations, type Migration } from '@il/event-store-postgres';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'pseudonym keys',
    sql: 'create table il_pseudonym_keys (project_id text primary key, key bytea not null, created_at timestamptz not null default now())',
  },
];

/** Per-project pseudonym keys, outside the event log. */
export async function createPseudonymKeyStore(pool: pg.Pool) {
  await runMigrations(pool, 'pseudonyms', migrations);
  return {
    /** The project's key, created on first use. */
    async keyFor(projectId: string): Promise<Buffer> {
      // One statement that creates or finds the key and returns it: an insert and a separate select lost the row to
      // a key destruction in between (a 500). "do update" (not "do nothing") returns the existing row, and locks it.
      const r = await pool.query<{ key: Buffer }>(
        'insert into il_pseudonym_keys (project_id, key) values ($1, $2) on conflict (project_id) do update set project_id = excluded.project_id returning key',
        [projectId, randomBytes(32)],
      );
      return r.rows[0]!.key;
    },
    /**
     * Forgets the key. VACUUM then frees the row's storage so the bytes are not left in the table file; copies in
     * backups and WAL archives age out with their retention.
     */
    async destroy(projectId: string): Promise<boolean> {
      const r = await pool.query('delete from il_pseudonym_keys where project_id = $1', [projectId]);
      await pool.query('vacuum il_pseudonym_keys');
      return (r.rowCount ?? 0) > 0;
    },
  };
}

export type PseudonymKeyStore = Awaited<ReturnType<typeof createPseudonymKeyStore>>;
