import { expect } from 'chai';
import {
  builtinCatalogues,
  decideProject,
  evolveProject,
  initialProjectState,
  readStoredEvent,
  recordedOutputs,
  socQualityPartners,
  socQualityProgramme,
  socQualityProject,
  type DecisionContext,
  type DomainEvent,
  parseProjectCommand,
  type ProjectCommandInput,
  type ProjectState,
} from '@il/domain';
import { type EventStore } from '@il/event-store';
import {
  createStreamStates,
  executeCommand,
  IdempotencyKeyReusedError,
  PreconditionFailedError,
  type CommandRequest,
} from '../src/index.js';

const ctx: DecisionContext = {
  programme: { ...socQualityProgramme, catalogue: builtinCatalogues['interreg-2021-2027']! },
  today: '2026-01-01',
  futureToleranceDays: 1,
};
const camp = (campId: string) => ({
  partner: 'PP7',
  campId,
  startDate: '2019-07-08',
  endDate: '2019-07-12',
  location: 'Rokiškis',
  country: 'LT',
  participants: { total: 42, crossBorder: 20 },
});

/**
 * executeCommand's behaviour, on whichever event store `open` gives: the in-memory one (unit tier) and PostgreSQL
 * (integration tier) run the same specification.
 */
export function describeExecuteCommand(
  name: string,
  open: () => Promise<{ store: EventStore; dispose: () => Promise<void> }>,
): void {
  describe(`executeCommand on ${name}`, function () {
    this.timeout(60_000);
    let store: EventStore;
    let dispose: (() => Promise<void>) | undefined;
    before(async () => {
      ({ store, dispose } = await open());
    });
    after(async () => dispose?.());

    const states = () => createStreamStates<ProjectState>(store, initialProjectState, evolveProject);
    const request = (
      streamId: string,
      command: ProjectCommandInput,
      extra: Partial<CommandRequest<ProjectState>> = {},
    ): CommandRequest<ProjectState> => ({
      streamId,
      actor: 'tester',
      correlationId: 'c-1',
      decide: ({ state }) => decideProject(parseProjectCommand(command), state, ctx),
      occurredAt: () => new Date('2019-07-12T00:00:00+03:00'),
      ...extra,
    });

    async function registeredProject(streamId: string) {
      const s = states();
      await executeCommand(store, s, request(streamId, { type: 'RegisterProject', data: socQualityProject }));
      for (const p of socQualityPartners)
        await executeCommand(store, s, request(streamId, { type: 'JoinPartner', data: p.data }));
      return s;
    }

    it('appends what decide returns and reports the new version and position', async () => {
      const s = await registeredProject('project-exec-1');
      const r = await executeCommand(
        store,
        s,
        request('project-exec-1', { type: 'RecordOutput', outputType: 'CampHeld', data: camp('c1') }),
      );
      expect(r).to.deep.include({ streamId: 'project-exec-1', version: 10, replayed: false });
      expect(r.events.map((e) => e.type)).to.deep.equal(['CampHeld']);
      expect(r.position).to.match(/^\d+:\d+$/);
    });

    it('retries on concurrent writes so that every independent command lands once', async () => {
      await registeredProject('project-exec-2');
      // Separate caches behave like separate processes writing to one project.
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          executeCommand(
            store,
            states(),
            request('project-exec-2', { type: 'RecordOutput', outputType: 'CampHeld', data: camp(`camp-${i}`) }),
          ),
        ),
      );
      expect(results.map((r) => r.version).sort((a, b) => a - b)).to.deep.equal([10, 11, 12, 13, 14, 15, 16, 17]);
      expect((await store.readStream('project-exec-2')).filter((e) => e.type === 'CampHeld')).to.have.length(8);
    });

    it('decides again after a conflict, so a duplicate camp id racing in is refused, not stored twice', async () => {
      await registeredProject('project-exec-3');
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () =>
          executeCommand(
            store,
            states(),
            request('project-exec-3', { type: 'RecordOutput', outputType: 'CampHeld', data: camp('same') }),
          ),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      expect((await store.readStream('project-exec-3')).filter((e) => e.type === 'CampHeld')).to.have.length(1);
    });

    it('fails with 412 when If-Match names another version, storing nothing', async () => {
      const s = await registeredProject('project-exec-4');
      let error: unknown;
      await executeCommand(
        store,
        s,
        request('project-exec-4', { type: 'RecordOutput', outputType: 'CampHeld', data: camp('x') }, { ifMatch: [3] }),
      ).catch((e) => (error = e));
      expect(error).to.be.instanceOf(PreconditionFailedError);
      expect((error as PreconditionFailedError).actualVersion).to.equal(9);
      const ok = await executeCommand(
        store,
        s,
        request('project-exec-4', { type: 'RecordOutput', outputType: 'CampHeld', data: camp('x') }, { ifMatch: [9] }),
      );
      expect(ok.version).to.equal(10);
    });

    it('reads If-Match as RFC 9110 does: * holds for an existing stream, a list holds for any version it names', async () => {
      const s = await registeredProject('project-exec-4b');
      const record = (id: string, ifMatch: '*' | number[]) =>
        executeCommand(
          store,
          s,
          request('project-exec-4b', { type: 'RecordOutput', outputType: 'CampHeld', data: camp(id) }, { ifMatch }),
        );
      expect((await record('a', '*')).version).to.equal(10);
      expect((await record('b', [3, 10, 99])).version).to.equal(11);
      let error: unknown;
      await record('c', []).catch((e) => (error = e));
      expect(error, 'a list of only weak tags matches nothing').to.be.instanceOf(PreconditionFailedError);
      error = undefined;
      await executeCommand(
        store,
        states(),
        request('project-exec-none', { type: 'RegisterProject', data: socQualityProject }, { ifMatch: '*' }),
      ).catch((e) => (error = e));
      expect(error, '* on a stream that does not exist').to.be.instanceOf(PreconditionFailedError);
    });

    it('answers a retried request with the first result and stores nothing twice', async () => {
      const s = await registeredProject('project-exec-5');
      const body = camp('idem');
      const idempotency = { key: 'key-1', scope: 'POST camps', body };
      const first = await executeCommand(
        store,
        s,
        request('project-exec-5', { type: 'RecordOutput', outputType: 'CampHeld', data: body }, { idempotency }),
      );
      const again = await executeCommand(
        store,
        states(),
        request('project-exec-5', { type: 'RecordOutput', outputType: 'CampHeld', data: body }, { idempotency }),
      );
      expect(again.replayed).to.equal(true);
      expect(again.events).to.deep.equal(first.events);
      expect(again.position).to.equal(first.position);
      expect((await store.readStream('project-exec-5')).filter((e) => e.type === 'CampHeld')).to.have.length(1);
      let error: unknown;
      await executeCommand(
        store,
        s,
        request(
          'project-exec-5',
          { type: 'RecordOutput', outputType: 'CampHeld', data: camp('other') },
          { idempotency: { ...idempotency, body: camp('other') } },
        ),
      ).catch((e) => (error = e));
      expect(error).to.be.instanceOf(IdempotencyKeyReusedError);
    });

    it('returns no events and no position when nothing changes', async () => {
      const s = await registeredProject('project-exec-6');
      const targets = [{ indicator: 'RCO81', value: 400 }];
      await executeCommand(store, s, request('project-exec-6', { type: 'SetTargets', targets }));
      const r = await executeCommand(store, s, request('project-exec-6', { type: 'SetTargets', targets }));
      expect(r).to.deep.include({ events: [], position: null, version: 10 });
    });

    it('catches a cached state up with events written elsewhere', async () => {
      const mine = await registeredProject('project-exec-7');
      await executeCommand(
        store,
        states(),
        request('project-exec-7', { type: 'RecordOutput', outputType: 'CampHeld', data: camp('elsewhere') }),
      );
      const { state, version } = await mine.load('project-exec-7');
      expect(version).to.equal(10);
      expect(state.status === 'registered' && [...state.keys.entries()].map(([key]) => key)).to.deep.equal([
        'camp:elsewhere',
      ]);
    });

    describe('deciding on a cached state that another process has moved on from', () => {
      const countingReads = (s: ReturnType<typeof states>) => {
        let reads = 0;
        const read = store.readStream.bind(store);
        const counted: EventStore = { ...store, readStream: (...args) => ((reads += 1), read(...args)) };
        return {
          states: createStreamStates<ProjectState>(counted, initialProjectState, evolveProject),
          reads: () => reads,
          s,
        };
      };

      it('appends without reading the stream first when the cache is current', async () => {
        await registeredProject('project-exec-9');
        const c = countingReads(states());
        await c.states.load('project-exec-9');
        const before = c.reads();
        await executeCommand(
          store,
          c.states,
          request('project-exec-9', { type: 'RecordOutput', outputType: 'CampHeld', data: camp('one') }),
        );
        await executeCommand(
          store,
          c.states,
          request('project-exec-9', { type: 'RecordOutput', outputType: 'CampHeld', data: camp('two') }),
        );
        expect(c.reads() - before).to.equal(0);
      });

      it('is refused by the expected version, caught up and decided again', async () => {
        const mine = await registeredProject('project-exec-10');
        await executeCommand(
          store,
          states(),
          request('project-exec-10', { type: 'RecordOutput', outputType: 'CampHeld', data: camp('elsewhere') }),
        );
        const r = await executeCommand(
          store,
          mine,
          request('project-exec-10', { type: 'RecordOutput', outputType: 'CampHeld', data: camp('mine') }),
        );
        expect(r.version).to.equal(11);
        // The other process's camp was seen before deciding again: the same id is refused, not recorded twice.
        let error: unknown;
        await executeCommand(
          store,
          mine,
          request('project-exec-10', { type: 'RecordOutput', outputType: 'CampHeld', data: camp('elsewhere') }),
        ).catch((e) => (error = e));
        expect(error).to.have.property('status', 409);
      });

      it('never answers a rejection, a failed If-Match or "nothing to do" from it', async () => {
        const mine = await registeredProject('project-exec-11');
        const other = states();
        // Elsewhere: a target set and the project's current version moved to 11.
        await executeCommand(
          store,
          other,
          request('project-exec-11', { type: 'SetTargets', targets: [{ indicator: 'RCO81', value: 400 }] }),
        );
        await executeCommand(
          store,
          other,
          request('project-exec-11', { type: 'RecordOutput', outputType: 'CampHeld', data: camp('x') }),
        );
        // If-Match with the version the store has, which the cache does not know yet.
        const matched = await executeCommand(
          store,
          mine,
          request(
            'project-exec-11',
            { type: 'RecordOutput', outputType: 'CampHeld', data: camp('y') },
            { ifMatch: [11] },
          ),
        );
        expect(matched.version).to.equal(12);
        const stale = await registeredProject('project-exec-12');
        await executeCommand(
          store,
          states(),
          request('project-exec-12', { type: 'SetTargets', targets: [{ indicator: 'RCO81', value: 400 }] }),
        );
        // The cache still has no target: "set it to 500" is a change either way, "set it to 400" is not.
        const same = await executeCommand(
          store,
          stale,
          request('project-exec-12', { type: 'SetTargets', targets: [{ indicator: 'RCO81', value: 400 }] }),
        );
        expect(same).to.deep.include({ events: [], version: 10 });
      });

      it('answers an idempotent retry that another process stored', async () => {
        const mine = await registeredProject('project-exec-13');
        const body = camp('retried');
        const idempotency = { key: 'key-13', scope: 'POST /camps', body };
        const first = await executeCommand(
          store,
          states(),
          request('project-exec-13', { type: 'RecordOutput', outputType: 'CampHeld', data: body }, { idempotency }),
        );
        const again = await executeCommand(
          store,
          mine,
          request('project-exec-13', { type: 'RecordOutput', outputType: 'CampHeld', data: body }, { idempotency }),
        );
        expect(again).to.deep.include({ replayed: true, version: first.version });
        expect(again.events.map((e) => e.eventId)).to.deep.equal(first.events.map((e) => e.eventId));
      });
    });

    it('reads stored events through upcasters', async () => {
      const s = await registeredProject('project-exec-8');
      await store.appendToStream(
        'project-exec-8',
        [
          {
            eventId: '11111111-2222-4333-8444-555555555555',
            type: 'CampHeld',
            schemaVersion: 1,
            data: {
              partner: 'LP',
              campId: 'old',
              startDate: '2018-07-09',
              endDate: '2018-07-13',
              location: 'Zemgale',
              country: 'LV',
              participants: 40,
              crossBorderParticipants: 18,
            },
            metadata: { actor: 'migration', correlationId: 'm' },
            occurredAt: new Date('2018-07-13'),
          },
        ],
        { expectedVersion: 9 },
      );
      // The cache folds it (through the upcaster: the v1 payload would not pass today's schema)...
      const { state } = await s.load('project-exec-8');
      expect(state.status === 'registered' && state.outputs.get('11111111-2222-4333-8444-555555555555')).to.include({
        type: 'CampHeld',
        partner: 'LP',
        key: 'camp:old',
      });
      // ...and the detail reads' fold shows the upcast payload.
      const outputs = recordedOutputs(
        (await store.readStream('project-exec-8')).map((e) => ({
          event: readStoredEvent(e.type, e.schemaVersion, e.data),
          eventId: e.eventId,
        })),
      );
      expect(
        (
          outputs.get('11111111-2222-4333-8444-555555555555')?.data as Extract<
            DomainEvent,
            { type: 'CampHeld' }
          >['data']
        ).participants,
      ).to.deep.equal({ total: 40, crossBorder: 18 });
    });
  });
}
