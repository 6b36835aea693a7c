import { expect } from 'chai';
import {
  datedIn,
  firstSocQualityOutput,
  InvalidEventError,
  parseProjectCommand,
  RuleViolationError,
} from '../src/index.js';

describe('moments: an instant with an offset is stored as the date it was where the programme is', () => {
  const publicEvent = firstSocQualityOutput('PublicEventHeld').data;
  const camp = firstSocQualityOutput('CampHeld').data;

  it('dates a public event at 22:30 UTC on 30 November as 1 December in Riga, and 30 November in Lisbon', () => {
    const at = { ...publicEvent, date: '2019-11-30T22:30:00Z' };
    expect(datedIn('PublicEventHeld', at, 'Europe/Riga').date).to.equal('2019-12-01');
    expect(datedIn('PublicEventHeld', at, 'Europe/Lisbon').date).to.equal('2019-11-30');
    expect(
      datedIn('PublicEventHeld', { ...publicEvent, date: '2019-11-30T23:59:00-05:00' }, 'Europe/Riga').date,
    ).to.equal('2019-12-01');
  });

  it('leaves dates as they are, and checks the rules between dates once they are dated', () => {
    expect(datedIn('CampHeld', camp, 'Europe/Riga')).to.equal(camp);
    const dated = datedIn(
      'CampHeld',
      { ...camp, startDate: '2019-07-07T21:30:00Z', endDate: '2019-07-12T10:00:00+03:00' },
      'Europe/Riga',
    );
    expect([dated.startDate, dated.endDate]).to.deep.equal(['2019-07-08', '2019-07-12']);
    expect(() =>
      datedIn('CampHeld', { ...camp, startDate: '2019-07-12T22:00:00Z', endDate: '2019-07-12' }, 'Europe/Riga'),
    ).to.throw(RuleViolationError);
  });

  it('refuses an instant without an offset, and a field that is not a moment, as malformed (400)', () => {
    const record = (outputType: 'PublicEventHeld' | 'ExpenditureDeclared', data: unknown) => () =>
      parseProjectCommand({ type: 'RecordOutput', outputType, data });
    expect(record('PublicEventHeld', { ...publicEvent, date: '2019-11-30T22:30:00' })).to.throw(InvalidEventError);
    const expenditure = firstSocQualityOutput('ExpenditureDeclared').data;
    expect(record('ExpenditureDeclared', { ...expenditure, date: '2019-11-30T22:30:00Z' })).to.throw(InvalidEventError);
  });
});
