import { expect } from 'chai';
import request from 'supertest';
import {
  builtinCatalogues,
  currentSchemaVersion,
  firstSocQualityOutput,
  programmeStream,
  projectStream,
  socQualityPartners,
  socQualityProgramme,
  socQualityProject,
  type DomainEvent,
} from '@il/domain';
import { createInMemoryEventStore, type EventStore } from '@il/event-store';
import { createApp, createMetrics } from '@il/http-kit';
import { createWriteContext } from '@il/write-api';
import { randomUUID } from 'node:crypto';
import { activitiesRouter, activitiesRoutes } from '../src/activitiesRouter.js';

const P = `/v1/projects/${socQualityProject.projectId}`;

async function append(store: EventStore, streamId: string, events: DomainEvent[]): Promise<void> {
  await store.appendToStream(
    streamId,
    events.map((e) => ({
      eventId: randomUUID(),
      type: e.type,
      schemaVersion: currentSchemaVersion(e.type),
      data: e.data,
      metadata: { actor: 'seed', correlationId: 'seed' },
      occurredAt: new Date('2018-03-01T00:00:00+02:00'),
    })),
    { expectedVersion: 'any' },
  );
}

/**
 * The activities routes on createApp over the in-memory event store: no database, no port, no token (without an
 * authenticator every caller is the development admin). The same routes run on PostgreSQL in the e2e suites.
 */
describe('activities routes (in memory, supertest)', () => {
  let app: ReturnType<typeof createApp>;
  before(async () => {
    const store = createInMemoryEventStore();
    await append(store, programmeStream(socQualityProgramme.programmeId), [
      {
        type: 'ProgrammeRegistered',
        data: { ...socQualityProgramme, catalogue: builtinCatalogues['interreg-2021-2027']! },
      },
    ]);
    await append(store, projectStream(socQualityProject.projectId), [
      { type: 'ProjectRegistered', data: socQualityProject },
      ...socQualityPartners,
    ]);
    const metrics = createMetrics('activities-unit');
    app = createApp({
      service: 'activities-unit',
      metrics,
      log: () => undefined,
      readiness: async () => ({ ok: true, details: {} }),
      routers: [activitiesRouter(createWriteContext(store, metrics))],
      routeDocs: activitiesRoutes,
    });
  });

  const camp = firstSocQualityOutput('CampHeld').data;

  it('records a camp (201 with the version as ETag) and reads it back by its id', async () => {
    const created = await request(app).post(`${P}/camps`).send(camp).expect(201);
    expect(created.headers['etag']).to.equal(`"${created.body.version}"`);
    const read = await request(app).get(`${P}/camps/${camp.campId}`).expect(200);
    expect(read.body).to.include({ eventId: created.body.eventId, type: 'CampHeld', campId: camp.campId });
  });

  it('refuses the same camp id again with 409, a bad body with 400 listing every field, and stores neither', async () => {
    const duplicate = await request(app).post(`${P}/camps`).send(camp).expect(409);
    expect(duplicate.body.type).to.match(/already-exists$/);
    const bad = await request(app)
      .post(`${P}/camps`)
      .send({ ...camp, campId: 'c-2', participants: { total: -1, crossBorder: 'x' } })
      .expect(400);
    expect(bad.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).to.have.members([
      'participants.total',
      'participants.crossBorder',
    ]);
    await request(app).get(`${P}/camps/c-2`).expect(404);
  });

  it('answers If-Match with 412 on a stale version, and a retried Idempotency-Key with the first result', async () => {
    const other = { ...camp, campId: 'c-3' };
    await request(app).post(`${P}/camps`).set('if-match', '"1"').send(other).expect(412);
    const first = await request(app).post(`${P}/camps`).set('idempotency-key', 'k-3').send(other).expect(201);
    const again = await request(app).post(`${P}/camps`).set('idempotency-key', 'k-3').send(other).expect(201);
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(again.body.eventId).to.equal(first.body.eventId);
  });

  it('corrects and retracts by event id', async () => {
    const { body } = await request(app)
      .post(`${P}/camps`)
      .send({ ...camp, campId: 'c-4' })
      .expect(201);
    const replacement = { type: 'CampHeld', data: { ...camp, campId: 'c-4', location: 'Biržai' } };
    await request(app).post(`${P}/corrections`).send({ correctsEventId: body.eventId, replacement }).expect(201);
    expect((await request(app).get(`${P}/camps/c-4`).expect(200)).body.location).to.equal('Biržai');
    await request(app).post(`${P}/retractions`).send({ retractsEventId: body.eventId, reason: 'Twice' }).expect(201);
    await request(app).get(`${P}/camps/c-4`).expect(404);
  });

  it('lists outputs in recorded order, a page at a time, with filters', async () => {
    const visit = firstSocQualityOutput('ExchangeVisitHeld').data;
    for (let i = 0; i < 5; i++) {
      await request(app)
        .post(`${P}/camps`)
        .send({ ...camp, campId: `list-${i}` })
        .expect(201);
    }
    await request(app).post(`${P}/exchange-visits`).send(visit).expect(201);
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const res: request.Response = await request(app)
        .get(`${P}/outputs`)
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      ids.push(...res.body.items.map((o: { eventId: string }) => o.eventId));
      expect(res.body.items.length).to.be.at.most(2);
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    const all = (await request(app).get(`${P}/outputs`).query({ limit: 500 }).expect(200)).body.items;
    expect(ids).to.deep.equal(all.map((o: { eventId: string }) => o.eventId));
    expect(new Set(ids).size).to.equal(ids.length);
    const camps = (await request(app).get(`${P}/outputs`).query({ type: 'CampHeld', limit: 500 }).expect(200)).body;
    expect(camps.items.every((o: { type: string }) => o.type === 'CampHeld')).to.equal(true);
    const visits = (await request(app).get(`${P}/outputs`).query({ partner: visit.partner }).expect(200)).body.items;
    expect(visits.map((o: { visitId?: string }) => o.visitId)).to.include(visit.visitId);
    const retracted = (await request(app).get(`${P}/outputs`).query({ retracted: 'only' }).expect(200)).body.items;
    expect(retracted.map((o: { campId: string }) => o.campId)).to.deep.equal(['c-4']);
    expect(all.map((o: { campId?: string }) => o.campId)).not.to.include('c-4');
  });

  it('refuses an unknown partner or period (404) and a cursor it did not give (400)', async () => {
    await request(app).get(`${P}/outputs`).query({ partner: 'PP9' }).expect(404);
    await request(app).get(`${P}/outputs`).query({ period: 'P9' }).expect(404);
    const bad = await request(app).get(`${P}/outputs`).query({ cursor: 'bm9wZQ' }).expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['cursor']);
    await request(app).get(`${P}/outputs`).query({ type: 'Nope' }).expect(400);
  });

  it('answers 404 for a project that does not exist', async () => {
    const res = await request(app).post('/v1/projects/NOPE-1/camps').send(camp).expect(404);
    expect(res.body.type).to.match(/not-found$/);
  });
});
