import { createHmac, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { runMigrations, type Migration } from '@il/event-store-postgres';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'actor key and directory',
    sql: `create table il_actor_key (id int primary key check (id = 1), key bytea not null, created_at timestamptz not null default now());
          create table il_actors (actor_id text primary key, issuer text not null, subject text not null, first_seen_at timestamptz not null default now())`,
  },
];

/**
 * Opaque actor ids for the event log. A token's `sub` is often an e-mail address, and the log is immutable: what
 * enters it can never be erased. Events record `actor_<HMAC(key, issuer, sub)>` instead; the small directory
 * beside it (il_actors, outside the log) maps an id back to who it was, for audits. Deleting the key and the
 * directory (`forget`) leaves the ids in the log linked to nobody.
 */
export async function createActorDirectory(pool: pg.Pool, options: { capacity?: number } = {}) {
  await runMigrations(pool, 'actors', migrations);
  const known = new Map<string, string>();
  const capacity = options.capacity ?? 10_000;
  return {
    async idFor(issuer: string, subject: string): Promise<string> {
      const cacheKey = `${issuer}\n${subject}`;
      const cached = known.get(cacheKey);
      if (cached) return cached;
      // Created or found in one statement (see the pseudonym keys: a separate select can lose the row).
      const { rows } = await pool.query<{ key: Buffer }>(
        'insert into il_actor_key (id, key) values (1, $1) on conflict (id) do update set id = excluded.id returning key',
        [randomBytes(32)],
      );
      const id = `actor_${createHmac('sha256', rows[0]!.key).update(`${issuer}\0${subject}`).digest().subarray(0, 16).toString('base64url')}`;
      await pool.query(
        'insert into il_actors (actor_id, issuer, subject) values ($1, $2, $3) on conflict (actor_id) do nothing',
        [id, issuer, subject],
      );
      if (known.size >= capacity) known.delete(known.keys().next().value as string);
      known.set(cacheKey, id);
      return id;
    },
    /** Who an actor id was, while the directory has it. */
    async whoIs(actorId: string): Promise<{ issuer: string; subject: string } | undefined> {
      const { rows } = await pool.query<{ issuer: string; subject: string }>(
        'select issuer, subject from il_actors where actor_id = $1',
        [actorId],
      );
      return rows[0];
    },
    /** Destroys the key and the directory: the ids already in the event log can no longer be linked to anyone. */
    async forget(): Promise<void> {
      await pool.query('delete from il_actor_key');
      await pool.query('delete from il_actors');
      await pool.query('vacuum il_actor_key, il_actors');
      known.clear();
    },
  };
}

export type ActorDirectory = Awaited<ReturnType<typeof createActorDirectory>>;
