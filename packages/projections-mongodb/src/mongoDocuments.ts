import type { AnyBulkWriteOperation, Document, Filter } from 'mongodb';
import type {
  BatchChanges,
  Cell,
  CellChanges,
  CellContribution,
  CellVersion,
  ContributionFilter,
  ContributionRow,
  ReportRow,
  TargetVersion,
} from '@il/projections';

/** A contribution as stored in MongoDB; `seq` is the projection order (a stock's tie on one date goes to the later). */
export interface ContributionDoc extends ContributionRow {
  _id: string;
  seq: number;
}

/** View documents are keyed by natural ids (programme, project, project/partner, …), never ObjectIds. */
export type KeyedDoc = Document & { _id: string };

export interface MongoWrites {
  programmes: AnyBulkWriteOperation<KeyedDoc>[];
  projects: AnyBulkWriteOperation<KeyedDoc>[];
  partners: AnyBulkWriteOperation<KeyedDoc>[];
  targets: AnyBulkWriteOperation<KeyedDoc>[];
  /** Ends stored open contributions of these outputs. */
  closes: AnyBulkWriteOperation<ContributionDoc>[];
  contributions: ContributionDoc[];
  /** Report transitions, keyed by event id; the snapshot as the JSON text it was stated in. */
  reports: ReportDoc[];
  /** Every value a target was set to, in recorded order (`seq`), for as-of answers. */
  targetVersions: TargetVersionDoc[];
  /** Every version of the programme targets, in recorded order; the target as JSON text (like catalogues). */
  programmeTargets: ProgrammeTargetDoc[];
}

export interface ProgrammeTargetDoc {
  _id: string;
  programmeId: string;
  seq: number;
  targetJson: string;
  recordedAt: Date;
}

export type TargetVersionDoc = TargetVersion & { _id: string; projectId: string; seq: number };

export type ReportDoc = Omit<ReportRow, 'snapshot'> & { _id: string; seq: number; snapshotJson: string | null };

/**
 * A batch's view changes as MongoDB bulk operations, with the same meaning as the PostgreSQL statements: programmes
 * and targets are replaced, projects and partners are kept from their first registration, contributions are only
 * inserted and closed. Ids are deterministic (source event and position within it), so a batch applied twice would
 * fail on duplicate keys rather than count twice.
 */
export function mongoWritesOf(batch: BatchChanges, seqStart: number): MongoWrites {
  const w: MongoWrites = {
    programmes: [],
    projects: [],
    partners: [],
    targets: [],
    closes: [],
    contributions: [],
    reports: [],
    targetVersions: [],
    programmeTargets: [],
  };
  const targetVersions: (TargetVersion & { projectId: string })[] = [];
  const programmeTargets: Extract<BatchChanges['registry'][number], { kind: 'programme-target' }>[] = [];
  const reports: ReportRow[] = [];
  for (const c of batch.registry) {
    switch (c.kind) {
      case 'programme': {
        const p = c.programme;
        // The catalogue is kept as JSON text: its rule paths are not field names MongoDB should interpret.
        w.programmes.push({
          replaceOne: {
            filter: { _id: p.programmeId },
            replacement: { name: p.name, timeZone: p.timeZone, catalogueJson: JSON.stringify(p.catalogue) },
            upsert: true,
          },
        });
        break;
      }
      case 'project': {
        const p = c.project;
        const doc = {
          programmeId: p.programmeId,
          acronym: p.acronym,
          priority: p.priority,
          specificObjective: p.specificObjective,
          startDate: p.startDate,
          endDate: p.endDate,
          reportingPeriodMonths: p.reportingPeriodMonths,
          ends: [{ endDate: p.endDate, recordedAt: c.at }],
        };
        w.projects.push({ updateOne: { filter: { _id: p.projectId }, update: { $setOnInsert: doc }, upsert: true } });
        break;
      }
      case 'project-end':
        w.projects.push({
          updateOne: {
            filter: { _id: c.projectId },
            // KeyedDoc is untyped beyond _id: the pushed field is the project's `ends` (see ProjectDoc).
            update: {
              $set: { endDate: c.endDate },
              $push: { ends: { endDate: c.endDate, recordedAt: c.at } } as never,
            },
          },
        });
        break;
      case 'partner': {
        const p = c.partner;
        const doc = {
          projectId: c.projectId,
          partnerCode: p.partnerCode,
          name: p.name,
          country: p.country,
          nuts3: p.nuts3,
          role: p.role,
        };
        w.partners.push({
          updateOne: {
            filter: { _id: `${c.projectId}/${p.partnerCode}` },
            update: { $setOnInsert: doc },
            upsert: true,
          },
        });
        break;
      }
      case 'target':
        w.targets.push({
          replaceOne: {
            filter: { _id: `${c.projectId}/${c.indicator}/${c.partner}` },
            replacement: {
              projectId: c.projectId,
              indicator: c.indicator,
              partner: c.partner,
              value: c.value,
              recordedAt: c.at,
            },
            upsert: true,
          },
        });
        targetVersions.push({
          projectId: c.projectId,
          indicator: c.indicator,
          partner: c.partner,
          value: c.value,
          recordedAt: c.at,
        });
        break;
      case 'report':
        reports.push(c.report);
        break;
      case 'programme-target':
        programmeTargets.push(c);
        break;
    }
  }
  for (const [outputEventId, at] of batch.closeStored)
    w.closes.push({ updateMany: { filter: { outputEventId, validTo: null }, update: { $set: { validTo: at } } } });
  const perSource = new Map<string, number>();
  batch.pending.forEach((row, i) => {
    const n = perSource.get(row.sourceEventId) ?? 0;
    perSource.set(row.sourceEventId, n + 1);
    w.contributions.push({ _id: `${row.sourceEventId}/${n}`, seq: seqStart + i, ...row });
  });
  // After the batch's contributions in the one sequence (the checkpoint's nextSeq counts both).
  reports.forEach(({ snapshot, ...r }, i) =>
    w.reports.push({
      _id: r.eventId,
      seq: seqStart + batch.pending.length + i,
      ...r,
      snapshotJson: snapshot === null ? null : JSON.stringify(snapshot),
    }),
  );
  const afterReports = seqStart + batch.pending.length + reports.length;
  targetVersions.forEach((t, i) =>
    w.targetVersions.push({ _id: `${t.projectId}/${afterReports + i}`, seq: afterReports + i, ...t }),
  );
  const afterTargets = afterReports + targetVersions.length;
  programmeTargets.forEach((t, i) =>
    w.programmeTargets.push({
      _id: `${t.programmeId}/${afterTargets + i}`,
      programmeId: t.programmeId,
      seq: afterTargets + i,
      targetJson: JSON.stringify(t.target),
      recordedAt: t.at,
    }),
  );
  return w;
}

/** The MongoDB filter for the contributions a reference query asks for; `projectIds` scopes a programme. */
export function contributionQuery(f: ContributionFilter, projectIds?: string[]): Filter<ContributionDoc> {
  const q: Filter<ContributionDoc> = {};
  if (f.projectId) q.projectId = f.projectId;
  else if (projectIds) q.projectId = { $in: projectIds };
  if (f.indicator) q.indicator = f.indicator;
  if (f.to) q.date = { $lte: f.to };
  if (!f.asOf) q.validTo = null;
  else {
    q.validFrom = { $lte: f.asOf };
    q.$or = [{ validTo: null }, { validTo: { $gt: f.asOf } }];
  }
  return q;
}

export function toContributionRow(d: ContributionDoc): ContributionRow {
  return {
    projectId: d.projectId,
    partner: d.partner,
    indicator: d.indicator,
    date: d.date,
    value: d.value,
    distinctKey: d.distinctKey ?? null,
    outputEventId: d.outputEventId,
    sourceEventId: d.sourceEventId,
    sourceType: d.sourceType,
    validFrom: d.validFrom,
    validTo: d.validTo ?? null,
  };
}

/** A version of a maintained cell (see @il/projections' cells), valid from `validFrom` until `validTo`. */
export interface CellDoc extends CellVersion {
  _id: string;
}

/**
 * The cell fold's changes as bulk operations, with the meaning of the PostgreSQL statements: live cells ended at
 * the step that changed them, then the new versions inserted. Ids are the batch's last event id and the version's
 * place in the batch, so a batch applied twice fails on duplicate keys rather than counting twice.
 */
export function mongoCellWritesOf(
  changes: CellChanges,
  batchId: string,
): { closes: AnyBulkWriteOperation<CellDoc>[]; inserts: CellDoc[] } {
  return {
    closes: changes.closeStored.map(({ key, at }) => ({
      updateOne: {
        filter: {
          projectId: key.projectId,
          indicator: key.indicator,
          partner: key.partner,
          day: key.day,
          validTo: null,
        },
        update: { $set: { validTo: at } },
      },
    })),
    inserts: changes.insert.map((v, i) => ({ _id: `${batchId}/${i}`, ...v })),
  };
}

/** The MongoDB filter for the cells valid at `asOf` (the live ones when absent) of these projects. */
export function cellQuery(projectIds: readonly string[], asOf: Date | undefined): Filter<CellDoc> {
  const q: Filter<CellDoc> = { projectId: { $in: [...projectIds] } };
  if (!asOf) q.validTo = null;
  else {
    q.validFrom = { $lte: asOf };
    q.$or = [{ validTo: null }, { validTo: { $gt: asOf } }];
  }
  return q;
}

export const toCell = (d: CellDoc): Cell => ({
  projectId: d.projectId,
  indicator: d.indicator,
  partner: d.partner,
  day: d.day,
  value: d.value,
  contributions: d.contributions,
});

/** A stored contribution as the cell fold sees it: its `seq` is its recorded order. */
export const toCellContribution = (d: ContributionDoc): CellContribution => ({
  projectId: d.projectId,
  indicator: d.indicator,
  partner: d.partner,
  date: d.date,
  value: d.value,
  distinctKey: d.distinctKey ?? null,
  outputEventId: d.outputEventId,
  order: d.seq,
});
