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
  {
    version: 2,
    name: 'append in one round trip',
    sql: `
      -- The whole append (lock, idempotency check, version check, insert, stream version, notify) as one call, so a
      -- write costs one round trip instead of eight. Runs in the caller's transaction. The advisory lock comes before
      -- the first write, so the transaction id is taken only once the stream is ours (see version 1).
      -- expected: n >= 0 exact version, -1 any, -2 no stream, -3 stream exists.
      create function il_append(p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_versions int[], p_data jsonb[], p_meta jsonb[], p_at timestamptz[])
      returns setof il_events language plpgsql as $$
      declare
        v_current bigint;
        v_existing int;
        v_same int;
      begin
        perform pg_advisory_xact_lock(hashtextextended(p_stream, 0));
        select version into v_current from il_streams where stream_id = p_stream;
        v_current := coalesce(v_current, 0);
        select count(*), count(*) filter (where e.type = x.type and e.schema_version = x.sv and e.data = x.data)
          into v_existing, v_same
          from il_events e join unnest(p_ids, p_types, p_versions, p_data) as x(id, type, sv, data) on e.event_id = x.id
          where e.stream_id = p_stream;
        if v_existing > 0 then
          if v_existing = cardinality(p_ids) and v_same = v_existing then
            return query select * from il_events where stream_id = p_stream and event_id = any(p_ids) order by stream_version;
            return;
          end if;
          raise exception 'idempotency conflict in %', p_stream using errcode = 'IL002';
        end if;
        if not (p_expected = -1 or (p_expected = -2 and v_current = 0) or (p_expected = -3 and v_current > 0) or p_expected = v_current) then
          raise exception 'stream % is at version %', p_stream, v_current using errcode = 'IL001', detail = v_current::text;
        end if;
        return query insert into il_events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at)
          select x.id, p_stream, v_current + x.n, x.type, x.sv, x.data, x.meta, x.at
          from unnest(p_ids, p_types, p_versions, p_data, p_meta, p_at) with ordinality as x(id, type, sv, data, meta, at, n)
          order by x.n
          returning *;
        insert into il_streams (stream_id, version) values (p_stream, v_current + cardinality(p_ids))
          on conflict (stream_id) do update set version = excluded.version;
        perform pg_notify('il_events', '');
      end $$;
    `,
  },
  {
    version: 3,
    name: 'appends of many streams in one transaction',
    sql: `
      -- Group commit: the appends that arrive while earlier ones are being written go to the database together, as
      -- one transaction, so a commit (and its WAL flush) and a round trip are shared by all of them. Each append is
      -- checked on its own and gets its own outcome: 0 written, 1 already stored (an identical retry, rows as first
      -- stored), 2 version conflict (current_version), 3 event id reused with other content. Outcomes 2 and 3 return
      -- no events and write nothing; the other appends of the batch are not affected.
      -- All advisory locks are taken first, in key order: two batches sharing streams cannot deadlock, and the
      -- transaction id is only taken (first write) once every stream is ours (see version 1).
      create function il_append_many(p_streams text[], p_expected bigint[], p_counts int[], p_ids uuid[], p_types text[], p_versions int[], p_data jsonb[], p_meta jsonb[], p_at timestamptz[])
      returns table (append_index int, outcome int, current_version bigint, global_position bigint, transaction_id xid8, event_id uuid, stream_id text,
                     stream_version bigint, type text, schema_version int, data jsonb, metadata jsonb, occurred_at timestamptz, recorded_at timestamptz)
      language plpgsql as $$
      #variable_conflict use_column
      declare
        v_single boolean := cardinality(p_streams) = 1;
        v_key bigint;
        v_stream text;
        v_from int := 1;
        v_to int;
        v_current bigint;
        v_existing int;
        v_same int;
        v_expected bigint;
        x_ids uuid[];
        x_types text[];
        x_versions int[];
        x_data jsonb[];
        x_meta jsonb[];
        x_at timestamptz[];
      begin
        if v_single then
          perform pg_advisory_xact_lock(hashtextextended(p_streams[1], 0));
        else
          for v_key in select distinct hashtextextended(s, 0) from unnest(p_streams) as s order by 1 loop
            perform pg_advisory_xact_lock(v_key);
          end loop;
        end if;
        for i in 1 .. cardinality(p_streams) loop
          v_stream := p_streams[i];
          v_to := v_from + p_counts[i] - 1;
          v_expected := p_expected[i];
          -- A lone append (an idle store, or a caller's own transaction) uses the arrays as they are.
          if v_single then
            x_ids := p_ids; x_types := p_types; x_versions := p_versions; x_data := p_data; x_meta := p_meta; x_at := p_at;
          else
            x_ids := p_ids[v_from:v_to]; x_types := p_types[v_from:v_to]; x_versions := p_versions[v_from:v_to];
            x_data := p_data[v_from:v_to]; x_meta := p_meta[v_from:v_to]; x_at := p_at[v_from:v_to];
          end if;
          select s.version into v_current from il_streams s where s.stream_id = v_stream;
          v_current := coalesce(v_current, 0);
          select count(*) into v_existing from il_events e where e.stream_id = v_stream and e.event_id = any(x_ids);
          if v_existing > 0 then
            -- Only a retry comes here: the same events (type, schema version, data) are already stored.
            select count(*) into v_same
              from il_events e join unnest(x_ids, x_types, x_versions, x_data) as x(id, type, sv, data) on e.event_id = x.id
              where e.stream_id = v_stream and e.type = x.type and e.schema_version = x.sv and e.data = x.data;
            if v_existing = p_counts[i] and v_same = v_existing then
              return query select i, 1, v_current, e.* from il_events e
                where e.stream_id = v_stream and e.event_id = any(x_ids) order by e.stream_version;
            else
              return query select i, 3, v_current, (null::il_events).*;
            end if;
          elsif not (v_expected = -1 or (v_expected = -2 and v_current = 0) or (v_expected = -3 and v_current > 0) or v_expected = v_current) then
            return query select i, 2, v_current, (null::il_events).*;
          else
            return query with written as (
                insert into il_events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at)
                select x.id, v_stream, v_current + x.n, x.type, x.sv, x.data, x.meta, x.at
                from unnest(x_ids, x_types, x_versions, x_data, x_meta, x_at) with ordinality as x(id, type, sv, data, meta, at, n)
                order by x.n
                returning *)
              select i, 0, v_current, w.* from written w order by w.stream_version;
            insert into il_streams as s (stream_id, version) values (v_stream, v_current + p_counts[i])
              on conflict (stream_id) do update set version = excluded.version;
          end if;
          v_from := v_to + 1;
        end loop;
        perform pg_notify('il_events', '');
      end $$;
      -- il_append (version 2) stays for processes of the previous release during a rolling upgrade; this release
      -- no longer calls it.
    `,
  },
  {
    version: 4,
    name: 'appends that do not wait for a busy stream',
    sql: `
      -- Version 3 with p_nowait: a group commit's batch takes its streams' locks with pg_try_advisory_xact_lock, and
      -- an append whose stream another transaction holds gets outcome 4 (busy) and writes nothing; the caller writes
      -- it alone, waiting for its lock. A batch waited for the lock of every stream in it, and the process sends one
      -- batch at a time: one stream held for 5 s stalled every write to every other stream for 5 s. A batch that
      -- waits for no lock also cannot deadlock with another, whatever the lock order. Without p_nowait, as before.
      create function il_append_batch(p_streams text[], p_expected bigint[], p_counts int[], p_ids uuid[], p_types text[], p_versions int[], p_data jsonb[], p_meta jsonb[], p_at timestamptz[], p_nowait boolean)
      returns table (append_index int, outcome int, current_version bigint, global_position bigint, transaction_id xid8, event_id uuid, stream_id text,
                     stream_version bigint, type text, schema_version int, data jsonb, metadata jsonb, occurred_at timestamptz, recorded_at timestamptz)
      language plpgsql as $$
      #variable_conflict use_column
      declare
        v_single boolean := cardinality(p_streams) = 1;
        v_key bigint;
        v_busy bigint[] := '{}';
        v_stream text;
        v_from int := 1;
        v_to int;
        v_current bigint;
        v_existing int;
        v_same int;
        v_expected bigint;
        x_ids uuid[];
        x_types text[];
        x_versions int[];
        x_data jsonb[];
        x_meta jsonb[];
        x_at timestamptz[];
      begin
        if p_nowait then
          for v_key in select distinct hashtextextended(s, 0) from unnest(p_streams) as s order by 1 loop
            if not pg_try_advisory_xact_lock(v_key) then
              v_busy := v_busy || v_key;
            end if;
          end loop;
        elsif v_single then
          perform pg_advisory_xact_lock(hashtextextended(p_streams[1], 0));
        else
          for v_key in select distinct hashtextextended(s, 0) from unnest(p_streams) as s order by 1 loop
            perform pg_advisory_xact_lock(v_key);
          end loop;
        end if;
        for i in 1 .. cardinality(p_streams) loop
          v_stream := p_streams[i];
          v_to := v_from + p_counts[i] - 1;
          v_expected := p_expected[i];
          if cardinality(v_busy) > 0 and hashtextextended(v_stream, 0) = any(v_busy) then
            return query select i, 4, null::bigint, (null::il_events).*;
            v_from := v_to + 1;
            continue;
          end if;
          if v_single then
            x_ids := p_ids; x_types := p_types; x_versions := p_versions; x_data := p_data; x_meta := p_meta; x_at := p_at;
          else
            x_ids := p_ids[v_from:v_to]; x_types := p_types[v_from:v_to]; x_versions := p_versions[v_from:v_to];
            x_data := p_data[v_from:v_to]; x_meta := p_meta[v_from:v_to]; x_at := p_at[v_from:v_to];
          end if;
          select s.version into v_current from il_streams s where s.stream_id = v_stream;
          v_current := coalesce(v_current, 0);
          select count(*) into v_existing from il_events e where e.stream_id = v_stream and e.event_id = any(x_ids);
          if v_existing > 0 then
            select count(*) into v_same
              from il_events e join unnest(x_ids, x_types, x_versions, x_data) as x(id, type, sv, data) on e.event_id = x.id
              where e.stream_id = v_stream and e.type = x.type and e.schema_version = x.sv and e.data = x.data;
            if v_existing = p_counts[i] and v_same = v_existing then
              return query select i, 1, v_current, e.* from il_events e
                where e.stream_id = v_stream and e.event_id = any(x_ids) order by e.stream_version;
            else
              return query select i, 3, v_current, (null::il_events).*;
            end if;
          elsif not (v_expected = -1 or (v_expected = -2 and v_current = 0) or (v_expected = -3 and v_current > 0) or v_expected = v_current) then
            return query select i, 2, v_current, (null::il_events).*;
          else
            return query with written as (
                insert into il_events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at)
                select x.id, v_stream, v_current + x.n, x.type, x.sv, x.data, x.meta, x.at
                from unnest(x_ids, x_types, x_versions, x_data, x_meta, x_at) with ordinality as x(id, type, sv, data, meta, at, n)
                order by x.n
                returning *)
              select i, 0, v_current, w.* from written w order by w.stream_version;
            insert into il_streams as s (stream_id, version) values (v_stream, v_current + p_counts[i])
              on conflict (stream_id) do update set version = excluded.version;
          end if;
          v_from := v_to + 1;
        end loop;
        perform pg_notify('il_events', '');
      end $$;
      -- The version 3 signature, for processes of the previous release during a rolling upgrade: one body for both.
      create or replace function il_append_many(p_streams text[], p_expected bigint[], p_counts int[], p_ids uuid[], p_types text[], p_versions int[], p_data jsonb[], p_meta jsonb[], p_at timestamptz[])
      returns table (append_index int, outcome int, current_version bigint, global_position bigint, transaction_id xid8, event_id uuid, stream_id text,
                     stream_version bigint, type text, schema_version int, data jsonb, metadata jsonb, occurred_at timestamptz, recorded_at timestamptz)
      language sql as $$ select * from il_append_batch(p_streams, p_expected, p_counts, p_ids, p_types, p_versions, p_data, p_meta, p_at, false) $$;
    `,
  },
];
