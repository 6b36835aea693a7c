// Seeded generator of Interreg-shaped data: projects of 2-10 partners, 24-36 months, the event mix of domain.md.
import { addDays, addMonths, daysBetween } from '@il/domain';

export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const countries = ['LV', 'LT'];
const regions = { LV: ['LV009', 'LV008', 'LV005'], LT: ['LT025', 'LT026', 'LT023'] };

export function project(random, i, programmeId = 'BENCH') {
  const months = 24 + Math.floor(random() * 13);
  const startDate = addMonths('2021-01-01', Math.floor(random() * 24));
  const endDate = addDays(addMonths(startDate, months), -1);
  const partners = Array.from({ length: 2 + Math.floor(random() * 9) }, (_, p) => {
    const country = countries[p % 2];
    return {
      partnerCode: p === 0 ? 'LP' : `PP${p + 1}`,
      name: `Partner ${p + 1} of project ${i}`,
      country,
      nuts3: regions[country][Math.floor(random() * 3)],
      role: p === 0 ? 'lead' : 'partner',
    };
  });
  return {
    registered: {
      projectId: `BP-${String(i).padStart(5, '0')}`,
      programmeId,
      acronym: `Bench${i}`,
      title: `Benchmark project ${i}`,
      priority: String(1 + (i % 4)),
      specificObjective: `${1 + (i % 4)}.${1 + (i % 2)}`,
      startDate,
      endDate,
      reportingPeriodMonths: 6,
      budgetCents: 50_000_000 + Math.floor(random() * 50_000_000),
      erdfCents: 40_000_000,
    },
    partners,
  };
}

/** The n-th output of a project: a mix weighted like real reports (many expenditure lines and measures, few buildings). */
export function output(random, p, n) {
  const { startDate, endDate } = p.registered;
  const date = addDays(startDate, Math.floor(random() * (daysBetween(startDate, endDate) + 1)));
  const partner = p.partners[Math.floor(random() * p.partners.length)].partnerCode;
  const r = random();
  const total = 5 + Math.floor(random() * 60);
  if (r < 0.1)
    return {
      type: 'CampHeld',
      data: {
        partner,
        campId: `camp-${n}`,
        startDate: date,
        endDate: date,
        location: 'Zemgale',
        country: 'LV',
        participants: { total, crossBorder: Math.floor(total / 2), withDisabilities: Math.floor(total / 3) },
      },
    };
  if (r < 0.25)
    return {
      type: 'StaffTrained',
      data: { partner, trainingId: `training-${n}`, topic: 'Art therapy', date, hours: 8, trainees: total },
    };
  if (r < 0.35)
    return {
      type: 'ExchangeVisitHeld',
      data: {
        partner,
        visitId: `visit-${n}`,
        startDate: date,
        endDate: date,
        location: 'Jelgava',
        participants: total,
        organisations: 8,
      },
    };
  if (r < 0.6)
    return {
      type: 'InclusionMeasureDelivered',
      data: { partner, measureId: `measure-${n % 7}`, date, sessions: 3, participants: total },
    };
  if (r < 0.7)
    return {
      type: 'PublicEventHeld',
      data: {
        partner,
        publicEventId: `event-${n}`,
        date,
        location: 'Bauska',
        participants: { total, crossBorder: Math.floor(total / 3) },
      },
    };
  if (r < 0.75)
    return {
      type: 'InfrastructureCompleted',
      data: { partner, objectId: `object-${n % 5}`, name: 'Day centre', date, capacity: 10 + (n % 20) },
    };
  if (r < 0.8)
    return { type: 'EquipmentPurchased', data: { partner, date, description: 'Health kit', costCents: 10_000 + n } };
  return { type: 'ExpenditureDeclared', data: { partner, date, amountCents: 100_000 + n, erdfCents: 85_000 } };
}
