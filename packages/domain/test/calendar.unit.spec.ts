import { expect } from 'chai';
import fc from 'fast-check';
import {
  dateOfDayNumber,
  dayNumberOf,
  addDays,
  addMonths,
  calendarPeriodBounds,
  calendarPeriodId,
  daysInMonth,
  elapsedShare,
  localDateOf,
  parseDate,
  periodContaining,
  reportingPeriods,
  startOfDay,
} from '../src/index.js';

const dateArb = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2060-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const zones = ['Europe/Riga', 'Europe/Vilnius', 'UTC', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata'];

describe('calendar dates', () => {
  it('knows leap days: 2020-02-29 and 2000-02-29 exist, 2019-02-29 and 2100-02-29 do not', () => {
    expect(parseDate('2020-02-29')).to.deep.equal({ year: 2020, month: 2, day: 29 });
    expect(parseDate('2000-02-29')).to.not.equal(undefined);
    expect(parseDate('2019-02-29')).to.equal(undefined);
    expect(parseDate('2100-02-29')).to.equal(undefined);
    expect(parseDate('2019-13-01')).to.equal(undefined);
    expect(parseDate('2019-9-1')).to.equal(undefined);
  });

  it('clips month arithmetic to the month end (Jan 31 + 1 month)', () => {
    expect(addMonths('2020-01-31', 1)).to.equal('2020-02-29');
    expect(addMonths('2019-01-31', 1)).to.equal('2019-02-28');
    expect(addMonths('2020-02-29', 12)).to.equal('2021-02-28');
    expect(addMonths('2018-03-01', -3)).to.equal('2017-12-01');
  });

  it('adds months so that the day never grows and the month index moves exactly', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -120, max: 120 }), (date, n) => {
        const a = parseDate(date)!;
        const b = parseDate(addMonths(date, n))!;
        expect(b.year * 12 + b.month - (a.year * 12 + a.month)).to.equal(n);
        expect(b.day).to.equal(Math.min(a.day, daysInMonth(b.year, b.month)));
      }),
    );
  });

  it('adds days across month ends and leap days', () => {
    expect(addDays('2020-02-28', 1)).to.equal('2020-02-29');
    expect(addDays('2020-02-29', 1)).to.equal('2020-03-01');
    expect(addDays('2019-02-28', 1)).to.equal('2019-03-01');
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -1000, max: 1000 }), (d, n) => {
        expect(addDays(addDays(d, n), -n)).to.equal(d);
      }),
    );
  });

  it('numbers days from 1970-01-01 and back, the leap day included', () => {
    expect(dayNumberOf('1970-01-01')).to.equal(0);
    expect(dayNumberOf('1969-12-31')).to.equal(-1);
    expect(dayNumberOf('2020-03-01') - dayNumberOf('2020-02-29')).to.equal(1);
    expect(dateOfDayNumber(dayNumberOf('2020-02-29'))).to.equal('2020-02-29');
    fc.assert(
      fc.property(dateArb, (d) => {
        expect(dateOfDayNumber(dayNumberOf(d))).to.equal(d);
      }),
    );
  });
});

describe('time zones', () => {
  it('puts 2019-08-31T22:30:00Z on 2019-09-01 in Riga', () => {
    expect(localDateOf('2019-08-31T22:30:00Z', 'Europe/Riga')).to.equal('2019-09-01');
    expect(localDateOf('2019-08-31T20:59:59Z', 'Europe/Riga')).to.equal('2019-08-31');
    expect(localDateOf('2020-02-29T21:59:59Z', 'Europe/Riga')).to.equal('2020-02-29');
    expect(localDateOf('2020-02-29T22:00:00Z', 'Europe/Riga')).to.equal('2020-03-01');
  });

  it('answers instants asked one after another (the remembered day) as Intl does, across midnights and DST changes', () => {
    const reference = (t: number, tz: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
        new Date(t),
      );
    // Around Riga's spring and autumn changes and a leap day, in steps that land on both sides of every midnight.
    for (const start of ['2019-03-30T20:00:00Z', '2019-10-26T20:00:00Z', '2020-02-28T20:00:00Z']) {
      for (const tz of ['Europe/Riga', 'America/New_York', 'Australia/Lord_Howe']) {
        for (let t = Date.parse(start); t < Date.parse(start) + 3 * 86_400_000; t += 7 * 60_000 + 13_000) {
          expect(localDateOf(new Date(t), tz), `${new Date(t).toISOString()} in ${tz}`).to.equal(reference(t, tz));
          expect(localDateOf(new Date(t - 1), tz)).to.equal(reference(t - 1, tz));
        }
      }
    }
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2040-01-01') }),
        fc.constantFrom(...zones),
        (t, tz) => {
          expect(localDateOf(new Date(t), tz)).to.equal(reference(t, tz));
        },
      ),
    );
  });

  it('starts a day at local midnight, also on DST change days', () => {
    expect(startOfDay('2019-09-01', 'Europe/Riga').toISOString()).to.equal('2019-08-31T21:00:00.000Z');
    expect(startOfDay('2019-01-15', 'Europe/Riga').toISOString()).to.equal('2019-01-14T22:00:00.000Z');
    expect(startOfDay('2019-03-31', 'Europe/Riga').toISOString()).to.equal('2019-03-30T22:00:00.000Z');
  });

  it('round-trips any date through its start instant in any zone', () => {
    fc.assert(
      fc.property(dateArb, fc.constantFrom(...zones), (d, tz) => {
        expect(localDateOf(startOfDay(d, tz), tz)).to.equal(d);
      }),
    );
  });
});

describe('reporting periods', () => {
  it('cuts SocQuality into four 6-month periods ending on the leap day', () => {
    expect(reportingPeriods('2018-03-01', '2020-02-29', 6)).to.deep.equal([
      { id: 'P1', start: '2018-03-01', end: '2018-08-31' },
      { id: 'P2', start: '2018-09-01', end: '2019-02-28' },
      { id: 'P3', start: '2019-03-01', end: '2019-08-31' },
      { id: 'P4', start: '2019-09-01', end: '2020-02-29' },
    ]);
  });

  it('clips the last period at the end date', () => {
    expect(reportingPeriods('2020-06-01', '2021-01-15', 6).at(-1)).to.deep.equal({
      id: 'P2',
      start: '2020-12-01',
      end: '2021-01-15',
    });
  });

  it('keeps period ids and bounds when OCTOPUS is extended from 24 to 30 months', () => {
    const before = reportingPeriods('2020-06-01', '2022-05-31', 6);
    const after = reportingPeriods('2020-06-01', '2022-11-30', 6);
    expect(after.slice(0, before.length)).to.deep.equal(before);
    expect(after.at(-1)).to.deep.equal({ id: 'P5', start: '2022-06-01', end: '2022-11-30' });
  });

  it('tiles any project exactly: contiguous, inside the dates, each day in one period', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.integer({ min: 0, max: 1500 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1500 }),
        (start, len, months, offset) => {
          const end = addDays(start, len);
          const periods = reportingPeriods(start, end, months);
          expect(periods[0]!.start).to.equal(start);
          expect(periods.at(-1)!.end).to.equal(end);
          periods.forEach((p, i) => {
            expect(p.id).to.equal(`P${i + 1}`);
            expect(p.start <= p.end).to.equal(true);
            // Anchored at the project start, so month-end clipping never drifts from one period to the next.
            expect(p.start).to.equal(addMonths(start, i * months));
            if (i > 0) expect(addDays(periods[i - 1]!.end, 1)).to.equal(p.start);
          });
          const day = addDays(start, offset % (len + 1));
          expect(periods.filter((p) => p.start <= day && day <= p.end)).to.have.length(1);
          expect(periodContaining(periods, day)).to.not.equal(undefined);
        },
      ),
    );
  });

  it('rejects an end before the start and non-whole period lengths', () => {
    expect(() => reportingPeriods('2020-01-02', '2020-01-01', 6)).to.throw(RangeError);
    expect(() => reportingPeriods('2020-01-01', '2020-12-31', 0)).to.throw(RangeError);
    expect(() => reportingPeriods('2020-01-01', '2020-12-31', 1.5)).to.throw(RangeError);
  });
});

describe('calendar periods', () => {
  it('names months, quarters, half-years and years with stable ids', () => {
    expect(calendarPeriodId('2019-09-01', 'month')).to.equal('2019-09');
    expect(calendarPeriodId('2019-09-01', 'quarter')).to.equal('2019-Q3');
    expect(calendarPeriodId('2019-09-01', 'half-year')).to.equal('2019-H2');
    expect(calendarPeriodId('2019-06-30', 'half-year')).to.equal('2019-H1');
    expect(calendarPeriodId('2019-09-01', 'year')).to.equal('2019');
    expect(calendarPeriodBounds('2020-02')).to.deep.equal({ id: '2020-02', start: '2020-02-01', end: '2020-02-29' });
    expect(calendarPeriodBounds('2019-Q4')).to.deep.equal({ id: '2019-Q4', start: '2019-10-01', end: '2019-12-31' });
    expect(calendarPeriodBounds('2019-13')).to.equal(undefined);
    expect(calendarPeriodBounds('P4')).to.equal(undefined);
  });

  it("bounds of a date's period always contain the date", () => {
    fc.assert(
      fc.property(dateArb, fc.constantFrom('month', 'quarter', 'half-year', 'year' as const), (d, g) => {
        const b = calendarPeriodBounds(calendarPeriodId(d, g))!;
        expect(b.start <= d && d <= b.end).to.equal(true);
      }),
    );
  });
});

describe('elapsed share of a project', () => {
  it('is 0 before, 1 after and proportional by days inside', () => {
    expect(elapsedShare('2018-03-01', '2020-02-29', '2017-01-01')).to.equal(0);
    expect(elapsedShare('2018-03-01', '2020-02-29', '2020-02-29')).to.equal(1);
    expect(elapsedShare('2018-03-01', '2020-02-29', '2021-01-01')).to.equal(1);
    expect(elapsedShare('2018-03-01', '2020-02-29', '2019-03-01')).to.be.closeTo(366 / 731, 1e-12);
  });
});
