import { MongoClient, type ClientSession, type Collection, type Db, type Document } from 'mongodb';
import { comparePositions, startPosition, type EventStore, type Position, type StoredEvent } from '@il/event-store';
import type { EventMap } from '@il/domain';
import {
  CheckpointMovedError,
  catalogueFromText,
  collectBatchChanges,
  createProjectContexts,
  delegatedQueries,
  foldBatch,
  evidenceRows,
  figureReadsOverCells,
  loadWorkingSet,
  maintainCells,
  startProjectorLoop,
  viewQueries,
  type BackgroundErrors,
  type ProjectorStatus,
  type ProjectorTarget,
  type ProjectRow,
  type ReadModels,
  type ReportRow,
  endDateAsOf,
  programmeTargetsAsOf,
  targetsAsOf,
  type EndVersion,
  type ViewQueries,
  type ViewRowsReader,
  type WorkingSetReads,
} from '@il/projections';
import {
  cellQuery,
  contributionQuery,
  mongoCellWritesOf,
  mongoWritesOf,
  toCell,
  toCellContribution,
  toContributionRow,
  type CellDoc,
  type ContributionDoc,
  type ReportDoc,
  type ProgrammeTargetDoc,
  type TargetVersionDoc,
} from './mongoDocuments.js';

export interface MongoReadModelsOptions {
  /** `mongodb://host:27017/?replicaSet=rs0` — a replica set (of one is fine): each batch is a transaction. */
  url: string;
  database?: string;
  store: EventStore;
  /** Where the projector loop reports failures it retries (see BackgroundErrors). */
  onError?: BackgroundErrors;
  /** Projector name, the key of its checkpoint. */
  name?: string;
}

interface CheckpointDoc {
  _id: string;
  position: Position;
  globalPosition: number;
  nextSeq: number;
  updatedAt: Date;
}

interface ProjectDoc extends Omit<ProjectRow, 'projectId'> {
  _id: string;
  /** Every end date as recorded (registration, then amendments), for as-of answers. */
  ends?: EndVersion[];
}

const metaId = 'views';

/** The working set's reads in MongoDB, inside the batch's transaction (see loadWorkingSet). */
function mongoWorkingSetReads(
  v: { contributions: Collection<ContributionDoc>; cells: Collection<CellDoc> },
  session: ClientSession,
): WorkingSetReads {
  return {
    async contributionsOfOutputs(ids) {
      return (
        await v.contributions.find({ outputEventId: { $in: [...ids] }, validTo: null }, { session }).toArray()
      ).map(toCellContribution);
    },
    async contributionsAround(cells, keys) {
      const or = cells.map((c) => ({
        projectId: c.projectId,
        indicator: c.indicator,
        partner: c.partner,
        date: c.day,
      }));
      const rows = or.length ? await v.contributions.find({ validTo: null, $or: or }, { session }).toArray() : [];
      // Per key its first occurrences only (see KeyOccurrences), one find each: a batch touches a few keys.
      for (const k of keys)
        rows.push(
          ...(await v.contributions
            .find(
              { validTo: null, projectId: k.projectId, indicator: k.indicator, distinctKey: k.distinctKey },
              { session, sort: { date: 1, seq: 1 }, limit: k.first },
            )
            .toArray()),
        );
      return rows.map(toCellContribution);
    },
    async cells(keys) {
      const or = keys.map((c) => ({ projectId: c.projectId, indicator: c.indicator, partner: c.partner, day: c.day }));
      return (await v.cells.find({ validTo: null, $or: or }, { session }).toArray()).map(toCell);
    },
  };
}

/**
 * The indicator views in MongoDB. Exactly-once by a transaction per batch covering the view writes and the
 * checkpoint, which is checked inside it (a second projector, or a rebuild's switch, makes the batch fail with
 * CheckpointMovedError and the loop resume from the stored checkpoint). A per-document position guard was not
 * chosen: a correction closes contributions of earlier events and adds new ones, so a batch is never a single
 * document. Views live in collections of a numbered generation (`v<n>_…`); a rebuild fills the next generation
 * beside the live one and switches the `il_meta` pointer when caught up. Queries are the reference folds over the
 * rows (the read-model contract checks them against PostgreSQL's).
 */
export async function createMongoReadModels(options: MongoReadModelsOptions): Promise<ReadModels & { db: Db }> {
  const client = new MongoClient(options.url, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  const db = client.db(options.database ?? 'indicator_ledger');
  const name = options.name ?? 'indicators';
  const meta = db.collection<{ _id: string; generation: number }>('il_meta');

  const views = (g: number) => ({
    programmes: db.collection<{ _id: string; name: string; timeZone: string; catalogueJson: string }>(
      `v${g}_programmes`,
    ),
    projects: db.collection<ProjectDoc>(`v${g}_projects`),
    partners: db.collection<{ _id: string; projectId: string; partnerCode: string; country: string; nuts3: string }>(
      `v${g}_partners`,
    ),
    targets: db.collection<{ _id: string; projectId: string; indicator: string; partner: string; value: number }>(
      `v${g}_targets`,
    ),
    targetVersions: db.collection<TargetVersionDoc>(`v${g}_target_versions`),
    programmeTargets: db.collection<ProgrammeTargetDoc>(`v${g}_programme_targets`),
    contributions: db.collection<ContributionDoc>(`v${g}_contributions`),
    reports: db.collection<ReportDoc>(`v${g}_reports`),
    cells: db.collection<CellDoc>(`v${g}_cells`),
    checkpoints: db.collection<CheckpointDoc>(`v${g}_checkpoints`),
  });

  async function liveGeneration(session?: ClientSession): Promise<number> {
    return (await meta.findOne({ _id: metaId }, session ? { session } : {}))?.generation ?? 1;
  }

  /** Collections and indexes exist before any transaction writes to them (created at start-up and before a rebuild). */
  async function prepare(g: number): Promise<void> {
    const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
    for (const c of Object.values(views(g)) as unknown as Collection<Document>[])
      if (!existing.has(c.collectionName)) {
        // 48 NamespaceExists: another process created it between the listing and here.
        await db.createCollection(c.collectionName).catch((e: { code?: number }) => {
          if (e.code !== 48) throw e;
        });
      }
    const v = views(g);
    await v.contributions.createIndex({ projectId: 1, indicator: 1, seq: 1 });
    await v.contributions.createIndex({ outputEventId: 1, validTo: 1 });
    await v.contributions.createIndex({ projectId: 1, indicator: 1, distinctKey: 1, validTo: 1, date: 1, seq: 1 });
    await v.cells.createIndex({ projectId: 1, indicator: 1, partner: 1, day: 1, validTo: 1 });
    await v.projects.createIndex({ programmeId: 1 });
    await v.partners.createIndex({ projectId: 1 });
    await v.targets.createIndex({ projectId: 1 });
    await v.reports.createIndex({ projectId: 1, seq: 1 });
    await v.targetVersions.createIndex({ projectId: 1, seq: 1 });
    await v.programmeTargets.createIndex({ programmeId: 1, seq: 1 });
  }

  async function drop(g: number): Promise<void> {
    for (const c of await db.listCollections({ name: { $regex: `^v${g}_` } }, { nameOnly: true }).toArray())
      await db.dropCollection(c.name).catch(() => undefined);
  }

  await meta.updateOne({ _id: metaId }, { $setOnInsert: { generation: 1 } }, { upsert: true });
  await prepare(await liveGeneration());

  function rows(g: number): ViewRowsReader {
    const v = views(g);
    const toProject = (d: ProjectDoc, asOf?: Date): ProjectRow => ({
      projectId: d._id,
      programmeId: d.programmeId,
      priority: d.priority,
      specificObjective: d.specificObjective,
      startDate: d.startDate,
      endDate: (asOf && endDateAsOf(d.ends ?? [], asOf)) || d.endDate,
      reportingPeriodMonths: d.reportingPeriodMonths,
    });
    return {
      async programmes() {
        return (await v.programmes.find({}).sort({ _id: 1 }).toArray()).map((d) => ({
          programmeId: d._id,
          name: d.name,
          timeZone: d.timeZone,
        }));
      },
      async timeZone(programmeId) {
        return (await v.programmes.findOne({ _id: programmeId }))?.timeZone;
      },
      async catalogue(programmeId) {
        const d = await v.programmes.findOne({ _id: programmeId });
        return d ? catalogueFromText(d.catalogueJson) : undefined;
      },
      async project(projectId, asOf) {
        const d = await v.projects.findOne({ _id: projectId });
        return d ? toProject(d, asOf) : undefined;
      },
      async projects(programmeId, asOf) {
        return (await v.projects.find({ programmeId }).sort({ _id: 1 }).toArray())
          .filter((d) => !asOf || (d.ends?.[0]?.recordedAt ?? asOf) <= asOf)
          .map((d) => toProject(d, asOf));
      },
      async projectTargets(projectIds, asOf) {
        if (asOf) {
          const versions = await v.targetVersions
            .find({ projectId: { $in: [...projectIds] } })
            .sort({ seq: 1 })
            .toArray();
          return projectIds.flatMap((projectId) =>
            targetsAsOf(
              versions.filter((t) => t.projectId === projectId),
              asOf,
            ).map((t) => ({ ...t, projectId })),
          );
        }
        return (await v.targets.find({ projectId: { $in: [...projectIds] } }).toArray()).map(
          ({ projectId, indicator, partner, value }) => ({ projectId, indicator, partner, value }),
        );
      },
      async programmeTargets(programmeId, asOf) {
        const docs = await v.programmeTargets.find({ programmeId }).sort({ seq: 1 }).toArray();
        return programmeTargetsAsOf(
          docs.map((d) => ({
            target: JSON.parse(d.targetJson) as EventMap['ProgrammeTargetSet'],
            recordedAt: d.recordedAt,
          })),
          asOf,
        );
      },
      async partners(projectIds) {
        return (await v.partners.find({ projectId: { $in: projectIds } }).toArray()).map(
          ({ projectId, partnerCode, country, nuts3 }) => ({ projectId, partnerCode, country, nuts3 }),
        );
      },
      async targets(projectId, asOf) {
        if (asOf) return targetsAsOf(await v.targetVersions.find({ projectId }).sort({ seq: 1 }).toArray(), asOf);
        return (await v.targets.find({ projectId }).toArray()).map(({ indicator, partner, value }) => ({
          indicator,
          partner,
          value,
        }));
      },
      async reports(projectIds) {
        return (
          await v.reports
            .find({ projectId: { $in: [...projectIds] } })
            .sort({ seq: 1 })
            .toArray()
        ).map(({ _id, seq: _seq, snapshotJson, ...r }) => ({
          ...r,
          snapshot: snapshotJson === null ? null : (JSON.parse(snapshotJson) as ReportRow['snapshot']),
        }));
      },
      async contributions(f) {
        const projectIds =
          f.programmeId && !f.projectId
            ? (await v.projects.find({ programmeId: f.programmeId }, { projection: { _id: 1 } }).toArray()).map(
                (p) => p._id,
              )
            : undefined;
        return (await v.contributions.find(contributionQuery(f, projectIds)).sort({ seq: 1 }).toArray()).map(
          toContributionRow,
        );
      },
    };
  }

  /** The maintained cells of one generation, for the shared answer rules (viewQueries over figureReadsOverCells). */
  function figures(g: number) {
    const v = views(g);
    const registry = rows(g);
    const projectIdsOf = async (f: { programmeId?: string; projectId?: string }) =>
      f.projectId
        ? [f.projectId]
        : (await v.projects.find({ programmeId: f.programmeId }, { projection: { _id: 1 } }).toArray()).map(
            (p) => p._id,
          );
    return figureReadsOverCells(registry, {
      async cells(f) {
        return (await v.cells.find(cellQuery(await projectIdsOf(f), f.asOf)).toArray()).map(toCell);
      },
      async evidence(projectId, indicator, asOf) {
        return evidenceRows(await registry.contributions({ projectId, indicator, asOf }));
      },
    });
  }

  /** Every query reads one generation: the live one when it starts. */
  const answer = async () => viewQueries(figures(await liveGeneration()));
  const queries: ViewQueries = delegatedQueries(answer);

  async function checkpointOf(g: number): Promise<ProjectorStatus> {
    const d = await views(g).checkpoints.findOne({ _id: name });
    return d
      ? { position: d.position, globalPosition: d.globalPosition }
      : { position: startPosition, globalPosition: 0 };
  }

  /** A projector target writing generation `fixed`, or the live generation (and checking it is still live per batch). */
  function target(fixed: number | undefined, onBatch?: (events: number) => void): ProjectorTarget {
    let generation = fixed ?? 1;
    const contexts = createProjectContexts<ClientSession>({
      async project(session, projectId) {
        const d = await views(generation).projects.findOne({ _id: projectId }, { session });
        return d ? { programmeId: d.programmeId, startDate: d.startDate } : undefined;
      },
      async catalogue(session, programmeId) {
        const d = await views(generation).programmes.findOne({ _id: programmeId }, { session });
        return d ? catalogueFromText(d.catalogueJson) : undefined;
      },
    });
    return {
      async checkpoint() {
        if (fixed === undefined) generation = await liveGeneration();
        return checkpointOf(generation);
      },
      reset: () => contexts.clear(),
      async applyBatch(events: StoredEvent[], position: Position, expected: Position) {
        const session = client.startSession();
        try {
          await session.withTransaction(async () => {
            if (fixed === undefined && (await liveGeneration(session)) !== generation)
              throw new CheckpointMovedError('the views were switched to a rebuilt generation');
            const v = views(generation);
            const stored = await v.checkpoints.findOne({ _id: name }, { session });
            if ((stored?.position ?? startPosition) !== expected)
              throw new CheckpointMovedError(`checkpoint is at ${stored?.position}, this run expected ${expected}`);
            const collector = collectBatchChanges();
            const aggregationOf = await foldBatch(events, contexts, session, (change) => collector.add(change));
            // The cells, as the PostgreSQL projector keeps them: the working set read before the batch's writes.
            const { closeStored, pending, steps } = collector.batch;
            const adds = steps.flatMap((x) => x.adds);
            const cellChanges = maintainCells(
              await loadWorkingSet(
                mongoWorkingSetReads(v, session),
                {
                  closed: [...closeStored.keys()],
                  adds,
                  removed: adds.filter((_r, i) => pending[i]!.validTo !== null),
                },
                aggregationOf,
              ),
              steps,
              aggregationOf,
            );
            const cellWrites = mongoCellWritesOf(cellChanges, events.at(-1)!.eventId);
            const seqStart = stored?.nextSeq ?? 0;
            const w = mongoWritesOf(collector.batch, seqStart);
            const opts = { session, ordered: true };
            if (w.programmes.length) await v.programmes.bulkWrite(w.programmes as never, opts);
            if (w.projects.length) await v.projects.bulkWrite(w.projects as never, opts);
            if (w.partners.length) await v.partners.bulkWrite(w.partners as never, opts);
            if (w.targets.length) await v.targets.bulkWrite(w.targets as never, opts);
            if (w.targetVersions.length) await v.targetVersions.insertMany(w.targetVersions, opts);
            if (w.programmeTargets.length) await v.programmeTargets.insertMany(w.programmeTargets, opts);
            if (w.closes.length) await v.contributions.bulkWrite(w.closes, opts);
            if (w.contributions.length) await v.contributions.insertMany(w.contributions, opts);
            if (w.reports.length) await v.reports.insertMany(w.reports, opts);
            if (cellWrites.closes.length) await v.cells.bulkWrite(cellWrites.closes, opts);
            if (cellWrites.inserts.length) await v.cells.insertMany(cellWrites.inserts, opts);
            await v.checkpoints.updateOne(
              { _id: name },
              {
                $set: {
                  position,
                  globalPosition: events.at(-1)!.globalPosition,
                  nextSeq:
                    seqStart +
                    w.contributions.length +
                    w.reports.length +
                    w.targetVersions.length +
                    w.programmeTargets.length,
                  updatedAt: new Date(),
                },
              },
              { upsert: true, session },
            );
          });
        } finally {
          await session.endSession();
        }
        onBatch?.(events.length);
      },
    };
  }

  return {
    engine: 'mongodb',
    db,
    ...queries,
    checkpoint: async () => checkpointOf(await liveGeneration()),
    async startProjector(o = {}) {
      const onError = options.onError;
      return startProjectorLoop(options.store, target(undefined, o.onBatch), {
        batchSize: o.batchSize ?? 500,
        ...(onError ? { onError: (e: unknown) => onError('projector', e) } : {}),
      });
    },
    async rebuild(o = {}) {
      const started = Date.now();
      const live = await liveGeneration();
      const next = live + 1;
      await drop(next);
      await prepare(next);
      let events = 0;
      const sub = startProjectorLoop(
        options.store,
        target(next, (n) => (events += n)),
        { batchSize: 2000, gather: null },
      );
      const deadline = Date.now() + (o.timeoutMs ?? 30 * 60_000);
      try {
        for (;;) {
          const head = await options.store.headPosition();
          if (comparePositions((await checkpointOf(next)).position, head.position) >= 0) break;
          if (Date.now() > deadline) throw new Error('rebuild did not catch up in time; the live views are unchanged');
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        await sub.stop();
      }
      // The live projector sees the new generation on its next batch and resumes from the rebuilt checkpoint.
      const switched = await meta.updateOne({ _id: metaId, generation: live }, { $set: { generation: next } });
      if (switched.matchedCount !== 1)
        throw new Error('another rebuild switched the views first; this one is discarded');
      await drop(live);
      return { events, ms: Date.now() - started };
    },
    close: () => client.close(),
  };
}
