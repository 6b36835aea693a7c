import type pg from 'pg';
import { comparePositions, type EventStore, type Position, type StoredEvent, type StreamCursor } from '@il/event-store';
import { withClient } from '@il/event-store-postgres';
import { programmeIdOfStream, programmeStream, projectIdOfStream, readStoredEvent, type Catalogue } from '@il/domain';
import {
  collectBatchChanges,
  foldBatch,
  maintainCells,
  type AggregationOf,
  type CellVersion,
  type PendingContribution,
  type ProjectContext,
  type RegistryChange,
  type ViewChange,
} from '@il/projections';
import { applyChanges } from './applyChanges.js';
import { createGroupAttributes, createGroupMonthSums, monthChangesOfCells } from './groupMonths.js';
import { insertCells, insertContributions } from './viewRowWrites.js';

/** The history has a shape the bulk load cannot fold stream by stream exactly; the rebuild folds it in batches. */
export class BulkLoadNotApplicable extends Error {
  constructor(
    message: string,
    /** Whether rows were written before this was found: the schema must then be emptied again. */
    readonly wroteRows = true,
  ) {
    super(message);
  }
}

/** Rows gathered before they are written: a few statements of this size keep both cores busy. */
const flushRows = 20_000;
/** Writes in flight at once, each on its own connection, while the fold goes on. */
const writers = 3;

type Registration = { position: Position; catalogue: Catalogue };

/**
 * The first part of a rebuild into an empty view schema (`pool`'s): every event up to the store's head, folded one
 * stream at a time, its rows written once, then the checkpoint at the head, from which the batch projector carries
 * on. Returns the events it folded.
 *
 * Why it equals the batch projector's views: a project's rows depend only on its own stream and its programme's
 * catalogue, so each project stream is one batch of the same pure steps (foldBatch, collectBatchChanges,
 * maintainCells over an empty working set); an event has its project's context when the project's registration
 * came before it in its stream and the programme's registration before it in the global order, as the projector's
 * contexts give it. Rows are written once with the validity they end up with (no version is updated), into tables
 * whose indexes not led by the project are built after the load, and the group months are summed from each stream's
 * live cells and written once (the projector keeps them per batch; it may also keep rows that went back to 0 and no
 * cells). Memory holds one stream at a time, not the state of every project.
 *
 * Throws BulkLoadNotApplicable, before or after writing rows (the caller starts again on an empty schema), where
 * the stream-by-stream fold would differ: a programme registered twice (its catalogue then depends on the
 * moment), a registration outside its own stream, a correction of another stream's output.
 */
export async function bulkLoad(pool: pg.Pool, store: EventStore, name: string): Promise<number> {
  const readByStream = store.readByStream?.bind(store);
  if (!readByStream) throw new BulkLoadNotApplicable('the event store cannot read stream by stream', false);
  const head = await store.headPosition();
  if (head.globalPosition === 0) return 0;
  const registrations = new Map<string, Promise<Registration | undefined>>();
  const registrationOf = (programmeId: string) => {
    let found = registrations.get(programmeId);
    if (!found) registrations.set(programmeId, (found = readRegistration(store, programmeId, head.position)));
    return found;
  };

  // Indexes led by the project grow at their end as the projects are loaded in stream order, which costs the writers
  // little while the fold goes on; the others (by output, day, indicator) would take each row at a random place,
  // so they are built after the load.
  const indexes = (
    await pool.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes
        where schemaname = current_schema() and tablename in ('il_view_contributions', 'il_view_cells')
          and indexname not like '%\\_pkey'`,
    )
  ).rows.filter((i) => !/ USING \w+ \(project_id[,)]/.test(i.indexdef));
  for (const i of indexes) await pool.query(`drop index ${i.indexname}`);

  const writer = createRowWriter(pool);
  // Summed here from each stream's live cells and written once at the end (the projector keeps them per batch).
  const attributes = createGroupAttributes();
  const groupMonths = createGroupMonthSums(attributes);
  const fold = async (events: readonly StoredEvent[]) => {
    const rows = await foldStream(events, registrationOf);
    for (const change of rows.registry) attributes.remember(change);
    // The stream's cells live at the end.
    const live = rows.cells.filter((c) => c.validTo === null);
    groupMonths.add(monthChangesOfCells(live, rows.aggregationOf));
    await writer.add(rows);
  };
  let events = 0;
  let stream: StoredEvent[] = [];
  const read = (after: StreamCursor | null) => readByStream({ upTo: head.position, after, limit: 10_000 });
  let page = read(null);
  try {
    for (;;) {
      const { events: got, next } = await page;
      // The next page is read while this one is folded.
      if (next) page = read(next);
      for (const e of got) {
        if (stream.length > 0 && stream[0]!.streamId !== e.streamId) {
          await fold(stream);
          stream = [];
        }
        stream.push(e);
      }
      events += got.length;
      if (!next) break;
    }
    if (stream.length > 0) await fold(stream);
    await writer.end();
  } catch (e) {
    page.catch(() => undefined);
    await writer.end({ abandon: true }).catch(() => undefined);
    throw e;
  }

  // The indexes a few at a time, each on its own connection (one builds on one core), with enough sort memory
  // to build in one pass instead of spilling runs to disk.
  const queue = [...indexes];
  await Promise.all(
    Array.from({ length: writers }, () =>
      withClient(pool, async (client) => {
        await client.query(`set maintenance_work_mem = '128MB'`);
        for (let i = queue.shift(); i; i = queue.shift()) await client.query(i.indexdef);
        await client.query('reset maintenance_work_mem');
      }),
    ),
  );
  await withClient(pool, async (client) => {
    await groupMonths.write(client);
    // Planner statistics before the projector's first batch looks rows up by key (see createPostgresProjector).
    await client.query('analyze il_view_contributions, il_view_cells');
    await client.query('insert into il_view_checkpoints (projector, position, global_position) values ($1, $2, $3)', [
      name,
      head.position,
      head.globalPosition,
    ]);
  });
  return events;
}

async function readRegistration(
  store: EventStore,
  programmeId: string,
  upTo: Position,
): Promise<Registration | undefined> {
  const found = (await store.readStream(programmeStream(programmeId))).filter(
    (e) => e.type === 'ProgrammeRegistered' && comparePositions(e.position, upTo) <= 0,
  );
  if (found.length > 1)
    throw new BulkLoadNotApplicable(`programme ${programmeId} was registered ${found.length} times`);
  const e = found[0];
  if (!e) return undefined;
  const event = readStoredEvent(e.type, e.schemaVersion, e.data);
  if (event.type !== 'ProgrammeRegistered') return undefined;
  return { position: e.position, catalogue: event.data.catalogue };
}

interface StreamRows {
  registry: RegistryChange[];
  contributions: PendingContribution[];
  cells: CellVersion[];
}

interface FoldedStream extends StreamRows {
  aggregationOf: AggregationOf;
}

/** One stream's events as one batch of the projector's pure steps, over nothing stored before. */
async function foldStream(
  events: readonly StoredEvent[],
  registrationOf: (programmeId: string) => Promise<Registration | undefined>,
): Promise<FoldedStream> {
  const streamId = events[0]!.streamId;
  const ownProject = projectIdOfStream(streamId);
  const ownProgramme = programmeIdOfStream(streamId);
  let project: { programmeId: string; startDate: string } | undefined;
  // Whether the stream's events have passed the programme's registration (positions grow along a stream).
  let passed = false;
  const contexts = {
    async contextOf(_client: undefined, _projectId: string, e: StoredEvent): Promise<ProjectContext | undefined> {
      if (!project) return undefined;
      const registered = await registrationOf(project.programmeId);
      if (!registered) return undefined;
      passed ||= comparePositions(registered.position, e.position) < 0;
      return passed ? { catalogue: registered.catalogue, startDate: project.startDate } : undefined;
    },
    remember(change: ViewChange): void {
      if (change.kind === 'project') {
        if (change.project.projectId !== ownProject)
          throw new BulkLoadNotApplicable(`project ${change.project.projectId} registered in stream ${streamId}`);
        if (project && project.programmeId !== change.project.programmeId) passed = false;
        project = { programmeId: change.project.programmeId, startDate: change.project.startDate };
      }
      if (change.kind === 'programme' && change.programme.programmeId !== ownProgramme)
        throw new BulkLoadNotApplicable(`programme ${change.programme.programmeId} registered in stream ${streamId}`);
    },
  };
  const collector = collectBatchChanges();
  const aggregationOf = await foldBatch(events, contexts, undefined, (change) => collector.add(change));
  const { registry, pending, steps, closeStored } = collector.batch;
  // A correction closes the contributions of an output: one of this stream's events (the batch projector's close of
  // an output without contributions finds nothing either); another stream's would be beyond this stream's batch.
  const own = new Set(events.map((e) => e.eventId.toLowerCase()));
  for (const id of closeStored.keys())
    if (!own.has(id)) throw new BulkLoadNotApplicable(`stream ${streamId} corrects output ${id} of another stream`);
  const cells = maintainCells({ cells: [], contributions: [] }, steps, aggregationOf);
  return { registry, contributions: pending, cells: cells.insert, aggregationOf };
}

/**
 * Gathers streams' rows and writes them in large statements on up to `writers` connections while the fold goes on;
 * registry changes (a statement each) go in order on a connection of their own, so that their round trips do not
 * hold up the rows. A stream's rows go in one write, so its contributions' ids follow its recorded order. The first
 * failure is thrown from the next add or from end.
 */
function createRowWriter(pool: pg.Pool) {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let gathered: StreamRows = { registry: [], contributions: [], cells: [] };
  let rows = 0;
  let registry = Promise.resolve();
  let registryWaiting = 0;
  const check = () => {
    if (failure) throw failure.error;
  };
  const failed = (error: unknown) => {
    failure ??= { error };
  };
  function write(): void {
    const batch = gathered;
    gathered = { registry: [], contributions: [], cells: [] };
    rows = 0;
    if (batch.registry.length > 0) {
      registryWaiting++;
      registry = registry
        .then(() => (failure ? undefined : withClient(pool, (client) => applyChanges(client, batch.registry))))
        .catch(failed)
        .finally(() => registryWaiting--);
    }
    const done: Promise<void> = withClient(pool, async (client) => {
      await insertContributions(client, batch.contributions);
      await insertCells(client, batch.cells);
    })
      .catch(failed)
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  }
  return {
    async add(stream: StreamRows): Promise<void> {
      check();
      gathered.registry.push(...stream.registry);
      for (const r of stream.contributions) gathered.contributions.push(r);
      for (const c of stream.cells) gathered.cells.push(c);
      rows += stream.contributions.length + stream.cells.length + stream.registry.length;
      if (rows < flushRows) return;
      while (inFlight.size >= writers) await Promise.race(inFlight);
      // The registry lane may fall behind by a few writes, no more (what it holds stays in memory).
      while (registryWaiting > 2 * writers) await registry;
      check();
      write();
    },
    /** Writes what is gathered (unless abandoning) and waits for every write. */
    async end(options: { abandon?: boolean } = {}): Promise<void> {
      if (!failure && !options.abandon && rows > 0) write();
      await Promise.all([...inFlight, registry]);
      check();
    },
  };
}
