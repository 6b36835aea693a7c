import type pg from 'pg';
import {
  CheckpointMovedError,
  createProjectContexts,
  foldBatch,
  startProjectorLoop,
  type ProjectorStatus,
} from '@il/projections';
import { startPosition, type EventStore, type Position, type StoredEvent, type Subscription } from '@il/event-store';
import { withClient } from '@il/event-store-postgres';
import { createBatchWriter } from './batchWriter.js';
import { createGroupAttributes } from './groupMonths.js';
import { postgresViewRows } from './postgresViewRows.js';
import { viewSwitchLock } from './viewPool.js';

export { CheckpointMovedError };

export type { ProjectorStatus };

/**
 * Runs the indicator projection into PostgreSQL views (`pool` from openViewPool): each batch's view changes and the
 * checkpoint commit in one transaction, after checking under a row lock that the checkpoint is still where this run
 * left it. So killing the process at any moment and restarting it neither loses nor double-counts, a second
 * projector cannot interleave, and a rebuild's schema switch makes the live run resume from the new checkpoint.
 */
export async function createPostgresProjector(options: {
  pool: pg.Pool;
  store: EventStore;
  name?: string;
  batchSize?: number;
  onBatch?: (events: StoredEvent[]) => void;
  onError?: (error: unknown) => void;
}) {
  const name = options.name ?? 'indicators';
  const { pool, store } = options;
  // Projects and catalogues of earlier batches, read through the batch's own client.
  const contexts = createProjectContexts<pg.ClientBase>({
    project: (client, projectId) => postgresViewRows(client).project(projectId),
    catalogue: (client, programmeId) => postgresViewRows(client).catalogue(programmeId),
  });

  // Each batch looks up the cells and contributions it touches by key. While the tables fill up (a projection from
  // position 0, a rebuild) their planner statistics lag far behind autovacuum's pace: the planner took a table of
  // 50,000 rows for 138, sorted all of it for a few hundred keys, and every batch took longer than the last. So the
  // projector analyses the tables itself each time the events it applied since the last analysis double.
  const attributes = createGroupAttributes();
  let applied = 0;
  let analysedAt = 0;
  async function keepStatistics(client: pg.ClientBase, events: number): Promise<void> {
    applied += events;
    if (applied < 2000 || applied < 2 * analysedAt) return;
    analysedAt = applied;
    await client.query('analyze il_view_contributions, il_view_cells');
  }

  async function checkpoint(): Promise<ProjectorStatus> {
    const r = await pool.query<{ position: string; global_position: string }>(
      'select position, global_position::text from il_view_checkpoints where projector = $1',
      [name],
    );
    const row = r.rows[0];
    return row
      ? { position: row.position, globalPosition: Number(row.global_position) }
      : { position: startPosition, globalPosition: 0 };
  }

  async function applyBatch(events: StoredEvent[], position: Position, expected: Position): Promise<void> {
    await withClient(pool, async (client) => {
      try {
        await client.query('begin');
        // Shared with other batches, exclusive for a rebuild's schema switch: every statement of this batch resolves
        // the view tables after any switch in progress has committed, never half before and half after it.
        await client.query(`select pg_advisory_xact_lock_shared(hashtextextended('${viewSwitchLock}', 0))`);
        // A row to lock even before the first checkpoint: without one, two runs starting together on an empty
        // checkpoint both found "nothing stored" and both applied the first batch (the second's insert waited for the
        // first's commit, then overwrote it). Now the second waits here and then sees the checkpoint moved.
        await client.query(
          'insert into il_view_checkpoints (projector, position, global_position) values ($1, $2, 0) on conflict (projector) do nothing',
          [name, startPosition],
        );
        const stored = (
          await client.query<{ position: string }>(
            'select position from il_view_checkpoints where projector = $1 for update',
            [name],
          )
        ).rows[0]!.position;
        if (stored !== expected)
          throw new CheckpointMovedError(`checkpoint is at ${stored}, this run expected ${expected}`);
        const writer = createBatchWriter(attributes);
        await writer.flush(client, await foldBatch(events, contexts, client, (change) => writer.add(change)));
        const last = events[events.length - 1]!;
        const revised = writer.revised();
        // The checkpoint and the revisions of what the batch changed, in one statement of the batch's transaction: a
        // query that reads a revision reads the views as of exactly that revision's commit (see ViewVersion). A
        // programme's own change (its catalogue, which names and rules every project's indicators) revises all its
        // projects too; it is rare.
        await client.query(
          `with projects as (update il_view_projects set revision = revision + 1
                              where project_id = any($4::text[]) or programme_id = any($5::text[]) returning programme_id),
                programmes as (update il_view_programmes set revision = revision + 1
                                where programme_id in (select programme_id from projects union select unnest($5::text[])))
           insert into il_view_checkpoints (projector, position, global_position) values ($1, $2, $3)
           on conflict (projector) do update set position = excluded.position, global_position = excluded.global_position, updated_at = now()`,
          [name, position, last.globalPosition, revised.projects, revised.programmes],
        );
        await client.query('commit');
        options.onBatch?.(events);
        await keepStatistics(client, events.length);
      } catch (e) {
        await client.query('rollback').catch(() => undefined);
        throw e;
      }
    });
  }

  return {
    checkpoint,
    /** Runs until stopped, resuming from the stored checkpoint after any failure (with back-off). */
    async start(): Promise<Subscription> {
      return startProjectorLoop(
        store,
        {
          checkpoint,
          applyBatch,
          reset: () => {
            contexts.clear();
            attributes.clear();
          },
        },
        { batchSize: options.batchSize ?? 500, ...(options.onError ? { onError: options.onError } : {}) },
      );
    },
  };
}
