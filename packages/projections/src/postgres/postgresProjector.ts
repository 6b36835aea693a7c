import pg from 'pg';
import type { Catalogue } from '@il/domain';
import { startPosition, type EventStore, type Position, type StoredEvent, type Subscription } from '@il/event-store';
import { projectEvent, projectIdOfStream } from '../projectEvent.js';
import type { ProjectContext, ViewChange } from '../viewChange.js';
import { createBatchWriter } from './batchWriter.js';
import { catalogueFromText } from './catalogueCache.js';
import { viewSwitchLock } from './viewPool.js';

/** The stored checkpoint is not where this subscription left it: a rebuild switched the views, or a second projector ran. */
export class CheckpointMovedError extends Error {}

export interface ProjectorStatus {
  position: Position;
  globalPosition: number;
}

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
  // What the fold needs per project, kept in memory and updated as registrations go by (also within a batch).
  const catalogues = new Map<string, Catalogue>();
  const projects = new Map<string, { programmeId: string; startDate: string }>();
  const clearCaches = () => {
    catalogues.clear();
    projects.clear();
  };

  async function contextOf(client: pg.ClientBase, projectId: string): Promise<ProjectContext | undefined> {
    let project = projects.get(projectId);
    if (!project) {
      const row = (await client.query<{ programme_id: string; start_date: string }>(`select programme_id, to_char(start_date, 'YYYY-MM-DD') as start_date from il_view_projects where project_id = $1`, [projectId])).rows[0];
      if (!row) return undefined;
      project = { programmeId: row.programme_id, startDate: row.start_date };
      projects.set(projectId, project);
    }
    let catalogue = catalogues.get(project.programmeId);
    if (!catalogue) {
      const row = (await client.query<{ catalogue: string }>('select catalogue::text as catalogue from il_view_programmes where programme_id = $1', [project.programmeId])).rows[0];
      if (!row) return undefined;
      catalogue = catalogueFromText(row.catalogue);
      catalogues.set(project.programmeId, catalogue);
    }
    return { catalogue, startDate: project.startDate };
  }

  function remember(change: ViewChange): void {
    if (change.kind === 'programme') catalogues.set(change.programme.programmeId, change.programme.catalogue);
    if (change.kind === 'project') projects.set(change.project.projectId, { programmeId: change.project.programmeId, startDate: change.project.startDate });
  }

  async function checkpoint(): Promise<ProjectorStatus> {
    const r = await pool.query<{ position: string; global_position: string }>('select position, global_position::text from il_view_checkpoints where projector = $1', [name]);
    const row = r.rows[0];
    return row ? { position: row.position, globalPosition: Number(row.global_position) } : { position: startPosition, globalPosition: 0 };
  }

  async function handle(events: StoredEvent[], position: Position, expected: Position): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('begin');
      // Shared with other batches, exclusive for a rebuild's schema switch: every statement of this batch resolves
      // the view tables after any switch in progress has committed, never half before and half after it.
      await client.query(`select pg_advisory_xact_lock_shared(hashtextextended('${viewSwitchLock}', 0))`);
      const stored = (await client.query<{ position: string }>('select position from il_view_checkpoints where projector = $1 for update', [name])).rows[0]?.position ?? startPosition;
      if (stored !== expected) throw new CheckpointMovedError(`checkpoint is at ${stored}, this run expected ${expected}`);
      const writer = createBatchWriter();
      for (const e of events) {
        const projectId = projectIdOfStream(e.streamId);
        for (const change of projectEvent(e, projectId ? await contextOf(client, projectId) : undefined)) {
          remember(change);
          writer.add(change);
        }
      }
      await writer.flush(client);
      const last = events[events.length - 1]!;
      await client.query(
        `insert into il_view_checkpoints (projector, position, global_position) values ($1, $2, $3)
         on conflict (projector) do update set position = excluded.position, global_position = excluded.global_position, updated_at = now()`,
        [name, position, last.globalPosition],
      );
      await client.query('commit');
      options.onBatch?.(events);
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      clearCaches(); // may hold a registration that was rolled back
      throw e;
    } finally {
      client.release();
    }
  }

  /** One subscription from the stored checkpoint; ends on the first failure. */
  async function runOnce(signal: AbortSignal): Promise<void> {
    let expected = (await checkpoint()).position;
    const sub = store.subscribe({
      after: expected,
      batchSize: options.batchSize ?? 500,
      handler: async (events, position) => {
        await handle(events, position, expected);
        expected = position;
      },
    });
    const abort = () => void sub.stop();
    signal.addEventListener('abort', abort, { once: true });
    try {
      await sub.done;
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  return {
    checkpoint,
    /** Runs until stopped, resuming from the stored checkpoint after any failure (with back-off). */
    async start(): Promise<Subscription> {
      const controller = new AbortController();
      const done = (async () => {
        let backoff = 50;
        while (!controller.signal.aborted) {
          try {
            await runOnce(controller.signal);
          } catch (e) {
            clearCaches();
            if (controller.signal.aborted) break;
            options.onError?.(e);
            await new Promise((r) => setTimeout(r, e instanceof CheckpointMovedError ? 0 : backoff));
            backoff = e instanceof CheckpointMovedError ? 50 : Math.min(5000, backoff * 2);
          }
        }
      })();
      return {
        done,
        async stop() {
          controller.abort();
          await done;
        },
      };
    },
  };
}
