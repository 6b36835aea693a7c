import type { Migration } from './migrate.js';

/**
 * Events are ordered globally by (transaction_id, global_position). A reader only sees events of transactions
 * older than the oldest one still running (pg_snapshot_xmin), so an event can never appear behind a position a
 * reader has already passed: no gaps, even when a transaction that took a lower sequence number commits later.
 */
export const eventStoreMigrations: Migration[] = [
  {
    version: 1,
    name: 'events and streams',
    sql: `
      create table il_streams (
        stream_id text primary key,
        version bigint not null
      );
      create table il_events (
        global_position bigint generated always as identity primary key,
        transaction_id xid8 not null default pg_current_xact_id(),
        event_id uuid not null,
        stream_id text not null,
        stream_version bigint not null,
        type text not null,
        schema_version int not null,
        data jsonb not null,
        metadata jsonb not null,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null default now(),
        unique (stream_id, stream_version),
        unique (stream_id, event_id)
      );
      create index il_events_order on il_events (transaction_id, global_position);
    `,
  },
];
