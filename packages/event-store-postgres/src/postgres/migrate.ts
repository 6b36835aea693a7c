import type pg from 'pg';
import { withClient } from './withClient.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Applies the component's migrations that are not applied yet, each in its own transaction, under an advisory lock
 * so that several processes starting at once do not race. Idempotent: a second run applies nothing.
 */
export async function runMigrations(
  pool: pg.Pool,
  component: string,
  migrations: readonly Migration[],
): Promise<number[]> {
  return withClient(pool, async (client) => {
    try {
      await client.query(`select pg_advisory_lock(hashtextextended('il_migrations', 0))`);
      await client.query(`create table if not exists il_migrations (
        component text not null, version int not null, name text not null, applied_at timestamptz not null default now(),
        primary key (component, version))`);
      const done = new Set(
        (
          await client.query<{ version: number }>('select version from il_migrations where component = $1', [component])
        ).rows.map((r) => r.version),
      );
      const applied: number[] = [];
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(m.version)) continue;
        await client.query('begin');
        try {
          await client.query(m.sql);
          await client.query('insert into il_migrations (component, version, name) values ($1, $2, $3)', [
            component,
            m.version,
            m.name,
          ]);
          await client.query('commit');
          applied.push(m.version);
        } catch (e) {
          await client.query('rollback');
          throw new Error(`migration ${component} v${m.version} (${m.name}) failed: ${(e as Error).message}`, {
            cause: e,
          });
        }
      }
      return applied;
    } finally {
      await client.query(`select pg_advisory_unlock(hashtextextended('il_migrations', 0))`).catch(() => undefined);
    }
  });
}

export async function migrationsDone(
  pool: pg.Pool,
  component: string,
  migrations: readonly Migration[],
): Promise<boolean> {
  const r = await pool
    .query<{ n: string }>(`select count(*) as n from il_migrations where component = $1 and version = any($2::int[])`, [
      component,
      migrations.map((m) => m.version),
    ])
    .catch(() => ({ rows: [{ n: '0' }] }));
  return Number(r.rows[0]?.n ?? 0) === migrations.length;
}
