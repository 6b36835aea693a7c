import { expect } from 'chai';
import {
  DomainError,
  InvalidEventError,
  RuleViolationError,
  builtinCatalogues,
  currentSchemaVersion,
  eventTypes,
  parseStoredEvent,
  readStoredEvent,
  socQualityOutputs,
  socQualityPartners,
  socQualityProgramme,
  socQualityProgrammeTargets,
  socQualityProject,
  socQualityTargets,
  validateEvent,
  type DomainEvent,
} from '../src/index.js';

function errorsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(DomainError);
    return (e as DomainError).errors;
  }
  throw new Error('expected the event to be rejected');
}

const valid: DomainEvent[] = [
  {
    type: 'ProgrammeRegistered',
    data: { ...socQualityProgramme, catalogue: builtinCatalogues['interreg-2021-2027']! },
  },
  { type: 'ProgrammeTargetSet', data: socQualityProgrammeTargets[0]! },
  {
    type: 'TransmissionMade',
    data: {
      programmeId: 'LV-LT',
      transmissionId: 1,
      tables: {
        programmeId: 'LV-LT',
        cutOff: '2019-12-31',
        asOf: '2020-01-10T00:00:00.000Z',
        basis: 'verified',
        outputs: [],
        results: [],
      },
    },
  },
  { type: 'ProjectRegistered', data: socQualityProject },
  { type: 'ProjectAmended', data: { endDate: '2022-11-30', reason: 'Contract amendment No 1' } },
  ...socQualityPartners,
  ...socQualityTargets,
  {
    type: 'ReportSubmitted',
    data: { level: 'partner', partner: 'PP2', periodId: 'P1', reason: 'Due', snapshot: null },
  },
  { type: 'ReportApproved', data: { level: 'project', periodId: 'P1', reason: 'Checked' } },
  { type: 'ReportReopened', data: { level: 'project', periodId: 'P1', reason: 'Typo', numbers: 'open' } },
  ...socQualityOutputs,
  {
    type: 'OutputCorrected',
    data: { correctsEventId: '0b7c5d1e-8f6a-4b7c-9d2e-3f4a5b6c7d8e', replacement: socQualityOutputs[0]! },
  } as DomainEvent,
  {
    type: 'OutputRetracted',
    data: { retractsEventId: '0b7c5d1e-8f6a-4b7c-9d2e-3f4a5b6c7d8e', reason: 'Reported twice' },
  },
];

const camp = socQualityOutputs.find((e) => e.type === 'CampHeld')!.data as Record<string, unknown>;

describe('event schemas', () => {
  it('has an accepted example of every event type', () => {
    const covered = new Set(valid.map((e) => e.type));
    expect(eventTypes.filter((t) => !covered.has(t))).to.deep.equal([]);
  });

  for (const event of valid) {
    it(`accepts a valid ${event.type}`, () => {
      expect(validateEvent(event.type, event.data).type).to.equal(event.type);
    });
  }

  it('defaults the reporting period to 6 months', () => {
    const { reportingPeriodMonths: _omitted, ...rest } = socQualityProject;
    const parsed = validateEvent('ProjectRegistered', rest);
    expect(parsed.type === 'ProjectRegistered' && parsed.data.reportingPeriodMonths).to.equal(6);
  });

  it('rejects unknown event types', () => {
    expect(errorsOf(() => validateEvent('CampCancelled', {}))[0]!.path).to.equal('type');
  });

  it('lists every bad field of a camp, not just the first', () => {
    const errors = errorsOf(() =>
      validateEvent('CampHeld', {
        ...camp,
        campId: 'has spaces',
        startDate: '2019-02-29',
        country: 'Latvia',
        participants: { total: -1, crossBorder: 1.5 },
      }),
    );
    expect(errors.map((e) => e.path)).to.include.members([
      'campId',
      'startDate',
      'country',
      'participants.total',
      'participants.crossBorder',
    ]);
  });

  it('rejects more cross-border participants than participants', () => {
    const errors = errorsOf(() =>
      validateEvent('CampHeld', { ...camp, participants: { total: 10, crossBorder: 11, withDisabilities: 11 } }),
    );
    expect(errors.map((e) => e.path)).to.deep.equal(['participants.crossBorder', 'participants.withDisabilities']);
  });

  it('reports malformed fields as 400 and well-formed fields that disagree as 422', () => {
    expect(() => validateEvent('CampHeld', { ...camp, participants: { total: 10, crossBorder: 11 } }))
      .to.throw(RuleViolationError)
      .with.property('status', 422);
    expect(() => validateEvent('CampHeld', { ...camp, participants: { total: -1, crossBorder: 11 } }))
      .to.throw(InvalidEventError)
      .with.property('status', 400);
  });

  it('rejects an end date before the start date', () => {
    expect(
      errorsOf(() => validateEvent('CampHeld', { ...camp, startDate: '2018-07-13', endDate: '2018-07-09' })),
    ).to.deep.equal([{ path: 'endDate', message: 'must not be before startDate' }]);
    expect(
      errorsOf(() => validateEvent('ProjectRegistered', { ...socQualityProject, endDate: '2018-01-01' }))[0]!.path,
    ).to.equal('endDate');
  });

  it('rejects fractional cents and ERDF above the amount', () => {
    const base = { partner: 'PP2', date: '2019-08-31', amountCents: 100, erdfCents: 85 };
    expect(errorsOf(() => validateEvent('ExpenditureDeclared', { ...base, amountCents: 100.5 }))[0]!.path).to.equal(
      'amountCents',
    );
    expect(errorsOf(() => validateEvent('ExpenditureDeclared', { ...base, erdfCents: 101 }))[0]!.path).to.equal(
      'erdfCents',
    );
    expect(
      errorsOf(() => validateEvent('ProjectRegistered', { ...socQualityProject, budgetCents: 79125620.000001 }))[0]!
        .path,
    ).to.equal('budgetCents');
  });

  it('rejects unknown fields, so no names or identifiers slip into the log', () => {
    const errors = errorsOf(() => validateEvent('CampHeld', { ...camp, participantNames: ['Jānis Bērziņš'] }));
    expect(errors[0]!.message).to.match(/participantNames/);
    expect(
      errorsOf(() => validateEvent('CampHeld', { ...camp, participants: { total: 1, crossBorder: 0, names: ['x'] } })),
    ).to.have.length(1);
  });

  it('rejects negative and fractional counts', () => {
    const training = socQualityOutputs.find((e) => e.type === 'StaffTrained')!.data;
    expect(errorsOf(() => validateEvent('StaffTrained', { ...training, trainees: -3 }))[0]!.path).to.equal('trainees');
    expect(errorsOf(() => validateEvent('StaffTrained', { ...training, trainees: 2.5 }))[0]!.path).to.equal('trainees');
  });

  it('keeps Latvian and Lithuanian text as written', () => {
    const e = validateEvent('PartnerJoined', socQualityPartners[4]!.data);
    expect(e.type === 'PartnerJoined' && e.data.name).to.equal('Viesīte municipality');
  });

  it('rejects time zones that do not exist and currencies other than EUR', () => {
    const base = { ...socQualityProgramme, catalogue: builtinCatalogues['lv-lt-2014-2020']! };
    expect(
      errorsOf(() =>
        validateEvent('ProgrammeRegistered', { ...base, timeZone: 'Europe/Atlantis', currency: 'USD' }),
      ).map((e) => e.path),
    ).to.deep.equal(['timeZone', 'currency']);
  });

  it('requires a partner on partner reports and none on project reports', () => {
    const submitted = { level: 'partner', periodId: 'P1', reason: 'Due', snapshot: null };
    expect(errorsOf(() => validateEvent('ReportSubmitted', submitted)).map((e) => e.path)).to.deep.equal(['partner']);
    expect(
      errorsOf(() =>
        validateEvent('ReportApproved', { level: 'project', partner: 'PP2', periodId: 'P1', reason: 'Ok' }),
      )[0]!.path,
    ).to.equal('partner');
    expect(
      errorsOf(() => validateEvent('ReportReopened', { level: 'project', periodId: 'P1', numbers: 'open' }))[0]!.path,
    ).to.equal('reason');
  });

  it('requires a correction to replace with a valid output', () => {
    const errors = errorsOf(() =>
      validateEvent('OutputCorrected', {
        correctsEventId: 'not-a-uuid',
        replacement: { type: 'CampHeld', data: { ...camp, participants: { total: 1, crossBorder: 2 } } },
      }),
    );
    expect(errors.map((e) => e.path)).to.include('correctsEventId');
    expect(
      errorsOf(() =>
        validateEvent('OutputCorrected', {
          correctsEventId: '0b7c5d1e-8f6a-4b7c-9d2e-3f4a5b6c7d8e',
          replacement: { type: 'ProjectRegistered', data: socQualityProject },
        }),
      ),
    ).to.not.be.empty;
  });
});

describe('upcasting', () => {
  const campV1 = {
    partner: 'LP',
    campId: 'camp-zemgale-2018',
    startDate: '2018-07-09',
    endDate: '2018-07-13',
    location: 'Zemgale',
    country: 'LV',
    participants: 40,
    crossBorderParticipants: 18,
  };

  it('is at version 2 for CampHeld and 1 for types that never changed', () => {
    expect(currentSchemaVersion('CampHeld')).to.equal(2);
    expect(currentSchemaVersion('StaffTrained')).to.equal(1);
  });

  it('lifts a v1 camp to v2 without inventing a disability count', () => {
    expect(parseStoredEvent('CampHeld', 1, campV1)).to.deep.equal({
      type: 'CampHeld',
      data: {
        partner: 'LP',
        campId: 'camp-zemgale-2018',
        startDate: '2018-07-09',
        endDate: '2018-07-13',
        location: 'Zemgale',
        country: 'LV',
        participants: { total: 40, crossBorder: 18 },
      },
    });
  });

  it('lifts v1 report transitions, recorded before reasons and snapshots were kept, without inventing numbers', () => {
    expect(currentSchemaVersion('ReportSubmitted')).to.equal(2);
    expect(parseStoredEvent('ReportSubmitted', 1, { level: 'project', periodId: 'P2' })).to.deep.equal({
      type: 'ReportSubmitted',
      data: { level: 'project', periodId: 'P2', reason: 'recorded before reasons were kept', snapshot: null },
    });
    expect(parseStoredEvent('ReportApproved', 1, { level: 'partner', partner: 'PP2', periodId: 'P2' })).to.deep.equal({
      type: 'ReportApproved',
      data: { level: 'partner', partner: 'PP2', periodId: 'P2', reason: 'recorded before reasons were kept' },
    });
  });

  it('reads current-version events unchanged', () => {
    expect(parseStoredEvent('CampHeld', 2, camp)).to.deep.equal({ type: 'CampHeld', data: camp });
  });

  it('validates the upcast result against the current rules', () => {
    expect(
      errorsOf(() => parseStoredEvent('CampHeld', 1, { ...campV1, crossBorderParticipants: 41 }))[0]!.path,
    ).to.equal('participants.crossBorder');
  });

  it('rejects versions that never existed and payloads that do not match their version', () => {
    expect(() => parseStoredEvent('CampHeld', 3, camp)).to.throw(InvalidEventError);
    expect(() => parseStoredEvent('CampHeld', 0, camp)).to.throw(InvalidEventError);
    expect(() => parseStoredEvent('CampHeld', 1, camp)).to.throw(InvalidEventError);
  });
});

describe('reading stored events on hot paths', () => {
  it('takes current-version events as stored and still upcasts and validates old versions', () => {
    const camp = socQualityOutputs.find((e) => e.type === 'CampHeld')!.data;
    expect(readStoredEvent('CampHeld', 2, camp)).to.deep.equal({ type: 'CampHeld', data: camp });
    expect(
      readStoredEvent('CampHeld', 1, {
        partner: 'LP',
        campId: 'c',
        startDate: '2018-07-09',
        endDate: '2018-07-13',
        location: 'Z',
        country: 'LV',
        participants: 4,
        crossBorderParticipants: 1,
      }).data,
    ).to.deep.include({ participants: { total: 4, crossBorder: 1 } });
    expect(() => readStoredEvent('CampHeld', 1, camp)).to.throw(InvalidEventError);
    expect(() => readStoredEvent('NoSuchEvent', 1, {})).to.throw(InvalidEventError);
  });
});
