import { expect } from 'chai';
import {
  AlreadyExistsError,
  builtinCatalogues,
  decideProject,
  evolveProject,
  initialProjectState,
  InvalidEventError,
  recordedOutputs,
  NotFoundError,
  RuleViolationError,
  socQualityOutputs,
  firstSocQualityOutput,
  socQualityPartners,
  socQualityProgramme,
  socQualityProject,
  type DecisionContext,
  type DomainEvent,
  parseProjectCommand,
  type ProjectCommandInput,
  type ProjectState,
} from '../src/index.js';

const ctx: DecisionContext = {
  programme: { ...socQualityProgramme, catalogue: builtinCatalogues['interreg-2021-2027']! },
  today: '2020-02-29',
  futureToleranceDays: 1,
};
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Given these events in the stream, when the command is decided, then… */
function given(events: DomainEvent[]) {
  const state = events.reduce<ProjectState>((s, e, i) => evolveProject(s, e, id(i + 1)), initialProjectState);
  return {
    state,
    when: (command: ProjectCommandInput) => ({
      then: (expected: DomainEvent[] | (new (...a: never[]) => Error)) => {
        if (typeof expected === 'function')
          expect(() => decideProject(parseProjectCommand(command), state, ctx)).to.throw(expected);
        else expect(decideProject(parseProjectCommand(command), state, ctx)).to.deep.equal(expected);
      },
    }),
  };
}

const registeredEvent: DomainEvent = { type: 'ProjectRegistered', data: socQualityProject };
const withPartners = [registeredEvent, ...socQualityPartners];
const camp = firstSocQualityOutput('CampHeld');
const record = (e: DomainEvent): ProjectCommandInput => ({
  type: 'RecordOutput',
  outputType: e.type as never,
  data: e.data,
});

describe('decideProject', () => {
  describe('registration and partners', () => {
    it('registers a project once', () => {
      given([]).when({ type: 'RegisterProject', data: socQualityProject }).then([registeredEvent]);
      given([registeredEvent]).when({ type: 'RegisterProject', data: socQualityProject }).then(AlreadyExistsError);
    });

    it('refuses a project of another programme', () => {
      given([])
        .when({ type: 'RegisterProject', data: { ...socQualityProject, programmeId: 'EE-LV' } })
        .then(RuleViolationError);
    });

    it('refuses anything for a project that is not registered', () => {
      given([]).when(record(camp)).then(NotFoundError);
    });

    it('lets a partner join once and allows one lead partner', () => {
      given([registeredEvent])
        .when({ type: 'JoinPartner', data: socQualityPartners[0]!.data })
        .then([socQualityPartners[0]!]);
      given(withPartners).when({ type: 'JoinPartner', data: socQualityPartners[1]!.data }).then(AlreadyExistsError);
      given(withPartners)
        .when({ type: 'JoinPartner', data: { ...socQualityPartners[0]!.data, partnerCode: 'LP2' } })
        .then(AlreadyExistsError);
    });
  });

  describe('outputs', () => {
    it('records a valid camp', () => {
      given(withPartners).when(record(camp)).then([camp]);
    });

    it('refuses outputs of partners that have not joined', () => {
      given([registeredEvent]).when(record(camp)).then(NotFoundError);
    });

    it('refuses outputs outside the project dates, listing each date', () => {
      const state = given(withPartners).state;
      try {
        decideProject(
          parseProjectCommand(
            record({ ...camp, data: { ...camp.data, startDate: '2018-02-27', endDate: '2020-03-01' } }),
          ),
          state,
          ctx,
        );
        expect.fail('expected a rule violation');
      } catch (e) {
        expect(e).to.be.instanceOf(RuleViolationError);
        expect((e as RuleViolationError).errors.map((x) => x.path)).to.deep.equal(['startDate', 'endDate']);
      }
    });

    it('accepts the leap day, the last day of SocQuality', () => {
      const expenditure: DomainEvent = {
        type: 'ExpenditureDeclared',
        data: { partner: 'PP2', date: '2020-02-29', amountCents: 1, erdfCents: 0 },
      };
      given(withPartners).when(record(expenditure)).then([expenditure]);
    });

    it('refuses outputs dated in the future beyond the tolerance', () => {
      const future = { ...ctx, today: '2018-07-11' };
      const state = given(withPartners).state;
      expect(() => decideProject(parseProjectCommand(record(camp)), state, future)).to.throw(RuleViolationError);
      expect(
        decideProject(parseProjectCommand(record(camp)), state, { ...future, today: '2018-07-12' }),
      ).to.have.length(1);
    });

    it('refuses more cross-border participants than participants as a rule violation', () => {
      given(withPartners)
        .when(record({ ...camp, data: { ...camp.data, participants: { total: 5, crossBorder: 6 } } }))
        .then(RuleViolationError);
    });

    it('refuses a malformed output as invalid', () => {
      given(withPartners)
        .when(record({ ...camp, data: { ...camp.data, campId: '' } }))
        .then(InvalidEventError);
    });

    it('refuses a camp id used twice, but allows a building completed in two stages', () => {
      given([...withPartners, camp])
        .when(record(camp))
        .then(AlreadyExistsError);
      const done = socQualityOutputs.find(
        (e) => e.type === 'InfrastructureCompleted' && e.data.objectId === 'viesite-day-centre',
      )!;
      given([...withPartners, done])
        .when(record(done))
        .then([done]);
    });
  });

  describe('corrections and retractions', () => {
    const events = [...withPartners, camp];
    const campEventId = id(events.length);
    const fixed = { ...camp, data: { ...camp.data, participants: { total: 41, crossBorder: 19 } } };

    it('corrects an output with a full replacement of the same type', () => {
      const c: DomainEvent = { type: 'OutputCorrected', data: { correctsEventId: campEventId, replacement: fixed } };
      given(events).when({ type: 'CorrectOutput', data: c.data }).then([c]);
    });

    it('refuses to correct an unknown event or to change the output type', () => {
      given(events)
        .when({ type: 'CorrectOutput', data: { correctsEventId: id(999), replacement: fixed } })
        .then(NotFoundError);
      const training = socQualityOutputs.find((e) => e.type === 'StaffTrained')!;
      given(events)
        .when({ type: 'CorrectOutput', data: { correctsEventId: campEventId, replacement: training } })
        .then(RuleViolationError);
    });

    it('retracts once, frees the camp id, and refuses to correct a retracted output', () => {
      const retraction: DomainEvent = {
        type: 'OutputRetracted',
        data: { retractsEventId: campEventId, reason: 'Recorded twice' },
      };
      given(events).when({ type: 'RetractOutput', data: retraction.data }).then([retraction]);
      given([...events, retraction])
        .when({ type: 'RetractOutput', data: retraction.data })
        .then(AlreadyExistsError);
      given([...events, retraction])
        .when({ type: 'CorrectOutput', data: { correctsEventId: campEventId, replacement: fixed } })
        .then(RuleViolationError);
      given([...events, retraction])
        .when(record(camp))
        .then([camp]);
    });
  });

  describe('what the write model keeps of outputs, and the detail fold', () => {
    const events = [...withPartners, camp];
    const campEventId = id(events.length);
    const moved = { ...camp, data: { ...camp.data, partner: 'PP7', campId: 'camp-renamed' } };
    const correction: DomainEvent = {
      type: 'OutputCorrected',
      data: { correctsEventId: campEventId, replacement: moved },
    };
    const stream = [...events, correction];

    it('keeps type, partner and unique key, and follows a correction that moves them', () => {
      const { state } = given(stream);
      if (state.status !== 'registered') throw new Error('not registered');
      expect(state.outputs.get(campEventId)).to.deep.equal({
        eventId: campEventId,
        type: 'CampHeld',
        partner: 'PP7',
        date: camp.data.endDate,
        key: 'camp:camp-renamed',
        retracted: false,
      });
      expect(Object.fromEntries(state.keys.entries())).to.deep.equal({ 'camp:camp-renamed': campEventId });
      // The old camp id is free again, the new one is taken.
      given(stream).when(record(camp)).then([camp]);
      given(stream).when(record(moved)).then(AlreadyExistsError);
    });

    it('folds the current payloads and correction histories for reads, the same summaries included', () => {
      const outputs = recordedOutputs(stream.map((event, i) => ({ event, eventId: id(i + 1) })));
      const { state } = given(stream);
      const summary = state.status === 'registered' ? state.outputs.get(campEventId) : undefined;
      expect(outputs.get(campEventId)).to.deep.equal({
        ...summary,
        data: moved.data,
        corrections: [id(stream.length)],
      });
      const retracted = recordedOutputs(
        [
          ...stream,
          { type: 'OutputRetracted', data: { retractsEventId: campEventId, reason: 'twice' } } as DomainEvent,
        ].map((event, i) => ({ event, eventId: id(i + 1) })),
      );
      expect(retracted.get(campEventId)?.retracted).to.equal(true);
      expect([...outputs.keys()]).to.deep.equal([campEventId]);
    });
  });

  describe('targets, reports and amendments', () => {
    it('sets targets from the catalogue and skips values that do not change', () => {
      const t: DomainEvent = { type: 'TargetSet', data: { indicator: 'RCO81', value: 400 } };
      given(withPartners)
        .when({ type: 'SetTargets', targets: [t.data] })
        .then([t]);
      given([...withPartners, t])
        .when({ type: 'SetTargets', targets: [t.data] })
        .then([]);
      given(withPartners)
        .when({
          type: 'SetTargets',
          targets: [
            { indicator: 'NOPE', value: 1 },
            { indicator: 'RCO81', value: 1, partner: 'PP99' },
          ],
        })
        .then(RuleViolationError);
    });

    it('extends OCTOPUS from 24 to 30 months, adding P5 and keeping P1-P4', () => {
      const octopus: DomainEvent = {
        type: 'ProjectRegistered',
        data: {
          ...socQualityProject,
          projectId: 'LLI-425',
          acronym: 'OCTOPUS',
          startDate: '2020-06-01',
          endDate: '2022-05-31',
        },
      };
      const amendment: DomainEvent = {
        type: 'ProjectAmended',
        data: { endDate: '2022-11-30', reason: 'Extended to 30 months' },
      };
      const { state } = given([octopus]);
      expect(
        decideProject(parseProjectCommand({ type: 'AmendProject', data: amendment.data }), state, ctx),
      ).to.deep.equal([amendment]);
      const after = evolveProject(state, amendment, id(2));
      expect(after.status === 'registered' && after.periods.map((p) => p.id)).to.deep.equal([
        'P1',
        'P2',
        'P3',
        'P4',
        'P5',
      ]);
      expect(after.status === 'registered' && state.status === 'registered' && after.periods.slice(0, 4)).to.deep.equal(
        state.status === 'registered' && state.periods,
      );
      given([octopus])
        .when({ type: 'AmendProject', data: { endDate: '2022-01-31', reason: 'Shorter' } })
        .then(RuleViolationError);
    });
  });
});
