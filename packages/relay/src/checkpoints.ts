import type pg from 'pg';
import { startPosition, type Position } from '@il/event-store';
import { runMigrations, type Migration } from '@il/event-store-postgres';

/** Where a relay has got to: the position after the last batch every message of which was acknowledged. */
export interface RelayCheckpoints {
  load(name: string): Promise<Position>;
  /** Position and global position (for lag in events) of the checkpoint. */
  status(name: string): Promise<{ position: Position; globalPosition: number }>;
  save(name: string, position: Position, globalPosition: number): Promise<void>;
}

const migrations: Migration[] = [
  {
    version: 1,
    name: 'relay checkpoints',
    sql: 'create table il_relay_checkpoints (relay text primary key, position text not null, global_position bigint not null, updated_at timestamptz not null default now())',
  },
];

/** Relay checkpoints in PostgreSQL (the database every configuration has, see the README). */
export async function createPostgresRelayCheckpoints(pool: pg.Pool): Promise<RelayCheckpoints> {
  await runMigrations(pool, 'relay', migrations);
  async function status(name: string) {
    const row = (
      await pool.query<{ position: string; global_position: string }>(
        'select position, global_position::text from il_relay_checkpoints where relay = $1',
        [name],
      )
    ).rows[0];
    return row
      ? { position: row.position, globalPosition: Number(row.global_position) }
      : { position: startPosition, globalPosition: 0 };
  }
  return {
    load: async (name) => (await status(name)).position,
    status,
    async save(name, position, globalPosition) {
      await pool.query(
        `insert into il_relay_checkpoints (relay, position, global_position) values ($1, $2, $3)
         on conflict (relay) do update set position = excluded.position, global_position = excluded.global_position, updated_at = now()`,
        [name, position, globalPosition],
      );
    },
  };
}
