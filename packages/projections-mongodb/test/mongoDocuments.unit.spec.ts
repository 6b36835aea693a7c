import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import {
  builtinCatalogues,
  currentSchemaVersion,
  socQualityOutputs,
  socQualityPartners,
  socQualityProgramme,
  socQualityProject,
  socQualityTargets,
  type DomainEvent,
} from '@il/domain';
import { formatPosition, type StoredEvent } from '@il/event-store';
import {
  cellContributions,
  cellsFromContributions,
  collectBatchChanges,
  compareCells,
  maintainCells,
  memoryViewRows,
  projectEvent,
  projectIdOfStream,
  rulesOf,
  type CellContribution,
  type ProjectContext,
} from '@il/projections';
import {
  cellQuery,
  contributionQuery,
  mongoCellWritesOf,
  mongoWritesOf,
  toCell,
  type CellDoc,
  type ContributionDoc,
} from '../src/index.js';

let n = 0;
const stored = (
  streamId: string,
  e: DomainEvent,
  recordedAt = new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
): StoredEvent => {
  n++;
  return {
    eventId: randomUUID(),
    streamId,
    streamVersion: n,
    globalPosition: n,
    position: formatPosition(n, n),
    type: e.type,
    schemaVersion: currentSchemaVersion(e.type),
    data: e.data,
    metadata: { actor: 't', correlationId: 'c' },
    occurredAt: new Date('2019-01-01'),
    recordedAt,
  };
};

describe('MongoDB read-model documents (no server needed)', () => {
  const catalogue = builtinCatalogues['interreg-2021-2027']!;
  const project = `project-${socQualityProject.projectId}`;
  const events = [
    stored('programme-LV-LT', { type: 'ProgrammeRegistered', data: { ...socQualityProgramme, catalogue } }),
    ...[
      { type: 'ProjectRegistered', data: socQualityProject } as DomainEvent,
      ...socQualityPartners,
      ...socQualityTargets,
      ...socQualityOutputs,
    ].map((e) => stored(project, e)),
  ];
  const firstCamp = events.find((e) => e.type === 'CampHeld')!;
  events.push(
    stored(project, { type: 'OutputRetracted', data: { retractsEventId: firstCamp.eventId, reason: 'Duplicate' } }),
  );

  /** Batches of 7 through the shared collector, as the adapter does, keeping every batch's writes. */
  function writesInBatches() {
    const context: ProjectContext = { catalogue, startDate: socQualityProject.startDate };
    const all = [];
    let seq = 0;
    for (let i = 0; i < events.length; i += 7) {
      const collector = collectBatchChanges();
      for (const e of events.slice(i, i + 7))
        for (const c of projectEvent(e, projectIdOfStream(e.streamId) ? context : undefined)) collector.add(c);
      const w = mongoWritesOf(collector.batch, seq);
      seq += w.contributions.length;
      all.push(w);
    }
    return all;
  }

  it('inserts the same contribution rows the in-memory fold holds, with unique ids and ascending seq', async () => {
    const batches = writesInBatches();
    const docs: ContributionDoc[] = batches.flatMap((w) => w.contributions);
    expect(new Set(docs.map((d) => d._id)).size).to.equal(docs.length);
    expect(docs.map((d) => d.seq)).to.deep.equal(docs.map((_, i) => i));
    // Apply the closes the way MongoDB would: updateMany over stored open rows of that output.
    for (const [i, w] of batches.entries()) {
      for (const op of w.closes) {
        const { filter, update } = (
          op as { updateMany: { filter: { outputEventId: string }; update: { $set: { validTo: Date } } } }
        ).updateMany;
        const earlier = batches.slice(0, i).flatMap((b) => b.contributions);
        for (const d of earlier)
          if (d.outputEventId === filter.outputEventId && d.validTo === null) d.validTo = update.$set.validTo;
      }
    }
    const reference = await memoryViewRows(events).contributions({ asOf: new Date('2100-01-01') });
    const strip = ({ _id, seq: _seq, ...row }: ContributionDoc) => row;
    expect(docs.map(strip).filter((d) => d.validTo === null)).to.deep.equal(reference);
    expect(docs.some((d) => d.outputEventId === firstCamp.eventId && d.validTo !== null)).to.equal(true);
  });

  it('keeps the first registration of projects and partners, and replaces programmes and targets', () => {
    const [first] = writesInBatches();
    expect(first!.programmes[0]).to.have.nested.property('replaceOne.upsert', true);
    expect(
      JSON.parse(
        (first!.programmes[0] as unknown as { replaceOne: { replacement: { catalogueJson: string } } }).replaceOne
          .replacement.catalogueJson,
      ),
    ).to.deep.equal(catalogue);
    expect(first!.projects[0]).to.have.nested.property('updateOne.update.$setOnInsert.programmeId', 'LV-LT');
    expect(first!.partners[0]).to.have.nested.property('updateOne.filter._id', `${socQualityProject.projectId}/LP`);
  });

  it('writes the cells the fold keeps: versions with unique ids, each live one ended by the step that changed it', async () => {
    const context: ProjectContext = { catalogue, startDate: socQualityProject.startDate };
    const rules = rulesOf(catalogue);
    const docs: CellDoc[] = [];
    const live: CellContribution[] = [];
    for (let i = 0; i < events.length; i += 7) {
      const batch = events.slice(i, i + 7);
      const collector = collectBatchChanges();
      for (const e of batch)
        for (const c of projectEvent(e, projectIdOfStream(e.streamId) ? context : undefined)) collector.add(c);
      const changes = maintainCells(
        { cells: docs.filter((d) => d.validTo === null).map(toCell), contributions: [...live] },
        collector.batch.steps,
        (_p, code) => rules.get(code),
      );
      const w = mongoCellWritesOf(changes, batch.at(-1)!.eventId);
      // What MongoDB does with the operations, in order: end the live version, then insert the new ones.
      for (const op of w.closes) {
        const { filter, update } = (
          op as unknown as { updateOne: { filter: Partial<CellDoc>; update: { $set: { validTo: Date } } } }
        ).updateOne;
        const d = docs.find(
          (x) =>
            x.validTo === null &&
            x.projectId === filter.projectId &&
            x.indicator === filter.indicator &&
            x.partner === filter.partner &&
            x.day === filter.day,
        )!;
        d.validTo = update.$set.validTo;
      }
      docs.push(...w.inserts);
      // The batch's contributions, live unless closed, in the order the fold gave them.
      const closed = new Set(collector.batch.closeStored.keys());
      for (let j = live.length - 1; j >= 0; j--) if (closed.has(live[j]!.outputEventId)) live.splice(j, 1);
      collector.batch.steps
        .flatMap((x) => x.adds)
        .forEach((r, j) => {
          if (collector.batch.pending[j]!.validTo === null) live.push({ ...r, order: i * 1000 + j });
        });
    }
    expect(new Set(docs.map((d) => d._id)).size).to.equal(docs.length);
    const reference = await memoryViewRows(events).contributions({});
    expect(
      docs
        .filter((d) => d.validTo === null)
        .map(toCell)
        .sort(compareCells),
    ).to.deep.equal(cellsFromContributions(cellContributions(reference), (_p, code) => rules.get(code)));
    expect(docs.some((d) => d.validTo !== null)).to.equal(true);
  });

  it('asks MongoDB for live cells, or cells valid at an instant, of the projects asked about', () => {
    expect(cellQuery(['LLI-317'], undefined)).to.deep.equal({ projectId: { $in: ['LLI-317'] }, validTo: null });
    const at = new Date('2019-06-30T00:00:00Z');
    expect(cellQuery(['A', 'B'], at)).to.deep.equal({
      projectId: { $in: ['A', 'B'] },
      validFrom: { $lte: at },
      $or: [{ validTo: null }, { validTo: { $gt: at } }],
    });
  });

  it('asks MongoDB for live rows, or rows valid at an instant, scoped like the SQL', () => {
    expect(contributionQuery({ projectId: 'LLI-317', indicator: 'RCO81', to: '2018-12-31' })).to.deep.equal({
      projectId: 'LLI-317',
      indicator: 'RCO81',
      date: { $lte: '2018-12-31' },
      validTo: null,
    });
    const at = new Date('2019-06-30T00:00:00Z');
    expect(contributionQuery({ programmeId: 'LV-LT', asOf: at }, ['A', 'B'])).to.deep.equal({
      projectId: { $in: ['A', 'B'] },
      validFrom: { $lte: at },
      $or: [{ validTo: null }, { validTo: { $gt: at } }],
    });
  });
});
