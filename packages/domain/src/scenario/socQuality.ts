import type { DomainEvent } from '../events/eventSchemas.js';

/**
 * The LLI-317 "SocQuality" project as domain events, for the demo loader and tests. Budgets, dates, places and
 * the kinds of output follow the public record (shared/domain.md); participant counts, targets, NUTS 3 codes of
 * LT partners and which partner reported which facility are illustrative, as the sources disagree or are silent.
 */
export const socQualityProgramme = {
  programmeId: 'LV-LT',
  name: 'Interreg V-A Latvia-Lithuania Cross-Border Cooperation Programme 2014-2020',
  timeZone: 'Europe/Riga',
  currency: 'EUR',
} as const;

export const socQualityProject = {
  projectId: 'LLI-317',
  programmeId: 'LV-LT',
  acronym: 'SocQuality',
  title: 'Improvement of Quality and Accessibility of Social Services in Mid-Baltic Region',
  priority: '3',
  specificObjective: '3.1',
  startDate: '2018-03-01',
  endDate: '2020-02-29',
  reportingPeriodMonths: 6,
  budgetCents: 79_125_620,
  erdfCents: 67_256_774,
  source: 'Programme project database, 2020',
} as const;

type Ev<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;
const partner = (d: Ev<'PartnerJoined'>['data']): Ev<'PartnerJoined'> => ({ type: 'PartnerJoined', data: d });

export const socQualityPartners: Ev<'PartnerJoined'>[] = [
  partner({ partnerCode: 'LP', name: 'Zemgale Planning Region', country: 'LV', nuts3: 'LV009', role: 'lead' }),
  partner({
    partnerCode: 'PP2',
    name: 'Auce municipality',
    country: 'LV',
    nuts3: 'LV009',
    role: 'partner',
    budgetCents: 9_107_982,
    erdfCents: 7_741_800,
  }),
  partner({ partnerCode: 'PP3', name: 'Dobele municipality', country: 'LV', nuts3: 'LV009', role: 'partner' }),
  partner({
    partnerCode: 'PP4',
    name: 'Jaunjelgava municipality',
    country: 'LV',
    nuts3: 'LV009',
    role: 'partner',
    budgetCents: 8_564_509,
    erdfCents: 7_279_825,
  }),
  partner({
    partnerCode: 'PP5',
    name: 'Viesīte municipality',
    country: 'LV',
    nuts3: 'LV009',
    role: 'partner',
    budgetCents: 10_973_296,
    erdfCents: 9_327_301,
  }),
  partner({
    partnerCode: 'PP6',
    name: 'Joniškis A. Raudonikis Art School Open Youth Centre',
    country: 'LT',
    nuts3: 'LT026',
    role: 'partner',
  }),
  partner({ partnerCode: 'PP7', name: 'Rokiškis Youth Centre', country: 'LT', nuts3: 'LT025', role: 'partner' }),
  partner({ partnerCode: 'PP8', name: 'Kretinga Day Activity Centre', country: 'LT', nuts3: 'LT023', role: 'partner' }),
];

export const socQualityTargets: Ev<'TargetSet'>[] = [
  { type: 'TargetSet', data: { indicator: 'RCO81', value: 400 } },
  { type: 'TargetSet', data: { indicator: 'RCO85', value: 60 } },
  { type: 'TargetSet', data: { indicator: 'RCO87', value: 8 } },
  { type: 'TargetSet', data: { indicator: 'RCO84', value: 7 } },
  { type: 'TargetSet', data: { indicator: 'RCO84', value: 7, partner: 'PP5' } },
  { type: 'TargetSet', data: { indicator: 'RCO116', value: 1 } },
  { type: 'TargetSet', data: { indicator: 'OBJ', value: 6 } },
  { type: 'TargetSet', data: { indicator: 'RCO115', value: 2 } },
  { type: 'TargetSet', data: { indicator: 'EXP', value: 79_125_620 } },
];

const measures = [
  'healthy-lifestyle',
  'family-relations',
  'life-skills',
  'leisure',
  'physical-activity',
  'creative-workshops',
  'support-groups',
];

/** Outputs in the order they were reported. Viesīte day centre is completed twice (built, then fit-out): one object. */
export const socQualityOutputs: DomainEvent[] = [
  {
    type: 'PublicEventHeld',
    data: {
      partner: 'LP',
      publicEventId: 'kick-off',
      date: '2018-04-12',
      location: 'Jelgava',
      participants: { total: 45, crossBorder: 15 },
    },
  },
  {
    type: 'ExchangeVisitHeld',
    data: {
      partner: 'PP8',
      visitId: 'visit-kretinga-2018',
      startDate: '2018-05-15',
      endDate: '2018-05-16',
      location: 'Kretinga',
      participants: 24,
      organisations: 8,
    },
  },
  {
    type: 'InfrastructureWorksStarted',
    data: {
      partner: 'PP4',
      objectId: 'vigante-group-apartments',
      name: 'Care/crisis centre "Vīgante": group apartments, 2nd floor',
      date: '2018-06-18',
    },
  },
  {
    type: 'CampHeld',
    data: {
      partner: 'LP',
      campId: 'camp-zemgale-2018',
      startDate: '2018-07-09',
      endDate: '2018-07-13',
      location: 'Zemgale',
      country: 'LV',
      participants: { total: 40, crossBorder: 18, withDisabilities: 30 },
    },
  },
  {
    type: 'ExchangeVisitHeld',
    data: {
      partner: 'PP7',
      visitId: 'visit-rokiskis-2018',
      startDate: '2018-10-10',
      endDate: '2018-10-11',
      location: 'Rokiškis',
      participants: 22,
      organisations: 8,
    },
  },
  {
    type: 'StaffTrained',
    data: {
      partner: 'LP',
      trainingId: 'art-therapy',
      topic: 'Art therapy for social workers',
      date: '2018-11-20',
      hours: 16,
      trainees: 24,
    },
  },
  {
    type: 'ExchangeVisitHeld',
    data: {
      partner: 'LP',
      visitId: 'visit-jelgava-2019',
      startDate: '2019-02-05',
      endDate: '2019-02-06',
      location: 'Jelgava',
      participants: 30,
      organisations: 8,
    },
  },
  {
    type: 'InfrastructureCompleted',
    data: {
      partner: 'PP8',
      objectId: 'kretinga-sensory-room',
      name: 'Sensory room, Kretinga day activity centre',
      date: '2019-02-27',
      capacity: 6,
    },
  },
  {
    type: 'EquipmentPurchased',
    data: { partner: 'PP8', date: '2019-03-14', description: 'Health kit with a parachute game', costCents: 1_250_000 },
  },
  {
    type: 'StaffTrained',
    data: {
      partner: 'PP6',
      trainingId: 'burnout',
      topic: 'Burnout prevention',
      date: '2019-04-09',
      hours: 8,
      trainees: 30,
    },
  },
  ...measures.slice(0, 4).map((measureId, i): DomainEvent => ({
    type: 'InclusionMeasureDelivered',
    data: { partner: 'PP5', measureId, date: `2019-0${4 + i}-15`, sessions: 4, participants: 12 + i },
  })),
  {
    type: 'ExchangeVisitHeld',
    data: {
      partner: 'PP6',
      visitId: 'visit-joniskis-2019',
      startDate: '2019-05-21',
      endDate: '2019-05-22',
      location: 'Joniškis',
      participants: 26,
      organisations: 8,
    },
  },
  {
    type: 'InfrastructureCompleted',
    data: {
      partner: 'PP5',
      objectId: 'viesite-day-centre',
      name: 'Viesīte day centre',
      date: '2019-05-31',
      capacity: 20,
    },
  },
  {
    type: 'InfrastructureCompleted',
    data: {
      partner: 'PP4',
      objectId: 'vigante-group-apartments',
      name: 'Care/crisis centre "Vīgante": group apartments, 2nd floor',
      date: '2019-06-28',
      capacity: 8,
    },
  },
  {
    type: 'CampHeld',
    data: {
      partner: 'PP7',
      campId: 'camp-rokiskis-2019',
      startDate: '2019-07-08',
      endDate: '2019-07-12',
      location: 'Rokiškis',
      country: 'LT',
      participants: { total: 42, crossBorder: 20, withDisabilities: 32 },
    },
  },
  {
    type: 'InfrastructureCompleted',
    data: {
      partner: 'PP2',
      objectId: 'auce-service-apartments',
      name: 'Service apartments for adults with functional disorders, Auce',
      date: '2019-08-30',
      capacity: 4,
    },
  },
  ...(['2019-08-10', '2019-09-11', '2019-10-12'] as const).map((date, i): DomainEvent => ({
    type: 'InclusionMeasureDelivered',
    data: { partner: 'PP5', measureId: measures[4 + i] ?? '', date, sessions: 3, participants: 10 },
  })),
  {
    type: 'InfrastructureCompleted',
    data: {
      partner: 'PP6',
      objectId: 'joniskis-youth-centre',
      name: 'Joniškis youth centre renovation',
      date: '2019-09-26',
    },
  },
  {
    type: 'ExchangeVisitHeld',
    data: {
      partner: 'PP4',
      visitId: 'visit-jaunjelgava-viesite-2019',
      startDate: '2019-10-02',
      endDate: '2019-10-03',
      location: 'Jaunjelgava and Viesīte',
      participants: 28,
      organisations: 8,
    },
  },
  {
    type: 'InfrastructureCompleted',
    data: {
      partner: 'PP5',
      objectId: 'viesite-day-centre',
      name: 'Viesīte day centre (fit-out)',
      date: '2019-11-15',
      capacity: 24,
    },
  },
  {
    type: 'InfrastructureCompleted',
    data: {
      partner: 'PP3',
      objectId: 'dobele-multifunctional-centre',
      name: 'Dobele multifunctional centre',
      date: '2019-12-18',
      capacity: 30,
    },
  },
  {
    type: 'InclusionMeasureDelivered',
    data: { partner: 'PP5', measureId: 'healthy-lifestyle', date: '2020-01-09', sessions: 2, participants: 9 },
  },
  {
    type: 'QualitySystemIntroduced',
    data: {
      partner: 'LP',
      organisation: 'Zemgale Planning Region',
      methodology: 'SocQuality self-assessment',
      date: '2020-01-15',
    },
  },
  {
    type: 'QualitySystemIntroduced',
    data: {
      partner: 'PP8',
      organisation: 'Kretinga Day Activity Centre',
      methodology: 'SocQuality self-assessment',
      date: '2020-01-15',
    },
  },
  {
    type: 'PublicEventHeld',
    data: {
      partner: 'LP',
      publicEventId: 'final-conference',
      date: '2020-01-15',
      location: 'Bauska district',
      participants: { total: 80, crossBorder: 25 },
    },
  },
  {
    type: 'ExpenditureDeclared',
    data: { partner: 'PP2', date: '2019-08-31', amountCents: 4_500_000, erdfCents: 3_825_000 },
  },
  {
    type: 'ExpenditureDeclared',
    data: { partner: 'PP2', date: '2020-02-29', amountCents: 4_607_982, erdfCents: 3_916_800 },
  },
];

/** The scenario's first output of a kind, typed as that kind. */
export function firstSocQualityOutput<T extends DomainEvent['type']>(type: T): Extract<DomainEvent, { type: T }> {
  const found = socQualityOutputs.find((e): e is Extract<DomainEvent, { type: T }> => e.type === type);
  if (!found) throw new Error(`the SocQuality scenario has no ${type}`);
  return found;
}

/** One step of the demo's reporting cycle, as the API takes it. */
export type SocQualityReportStep =
  | { action: 'submit' | 'approve'; periodId: string; partner?: string; reason: string }
  | { action: 'correct'; outputIndex: number; replacement: DomainEvent };

/**
 * The reporting cycle the demo records after the outputs (illustrative: the public record has no report dates):
 * Viesīte's partner report of P3 certified; project reports P1-P3 verified; then a late correction in P2 after its
 * verification (the Rokiškis visit had 24 participants, not 22), which the P4 report, submitted and not yet
 * verified, carries as an adjustment of what was previously reported.
 */
export const socQualityReportCycle: SocQualityReportStep[] = [
  { action: 'submit', periodId: 'P3', partner: 'PP5', reason: 'Partner report P3 of Viesīte municipality' },
  { action: 'approve', periodId: 'P3', partner: 'PP5', reason: 'First-level control: expenditure and outputs checked' },
  ...(['P1', 'P2', 'P3'] as const).flatMap((periodId): SocQualityReportStep[] => [
    { action: 'submit', periodId, reason: `Project report ${periodId}` },
    { action: 'approve', periodId, reason: `Verified by the Joint Secretariat` },
  ]),
  // The attendance list was rechecked after P2's verification: 24 participants.
  {
    action: 'correct',
    outputIndex: socQualityOutputs.findIndex(
      (e) => e.type === 'ExchangeVisitHeld' && e.data.visitId === 'visit-rokiskis-2018',
    ),
    replacement: {
      type: 'ExchangeVisitHeld',
      data: {
        partner: 'PP7',
        visitId: 'visit-rokiskis-2018',
        startDate: '2018-10-10',
        endDate: '2018-10-11',
        location: 'Rokiškis',
        participants: 24,
        organisations: 8,
      },
    },
  },
  { action: 'submit', periodId: 'P4', reason: 'Final project report P4' },
];

type ProgrammeTarget = Ev<'ProgrammeTargetSet'>['data'];
const so31 = { priority: '3', specificObjective: '3.1', countsFrom: '2014-01-01' } as const;
/**
 * LV-LT programme targets for the demo, in the 2014-2020 performance framework's years (milestone 2018, final
 * target 2023). Two come from the public record of SO 3.1 (at least 1,000 people reached, mapped here to RCO 81; the
 * quality management system in 7 partner institutions, mapped to RCR 104); the others are illustrative and say so.
 */
export const socQualityProgrammeTargets: ProgrammeTarget[] = [
  {
    ...so31,
    indicator: 'RCO81',
    milestone: { year: 2018, value: 150 },
    finalTarget: { year: 2023, value: 1000 },
    baseline: null,
    source: 'Programme: at least 1,000 people reached in SO 3.1 (final target); milestone illustrative',
  },
  {
    ...so31,
    indicator: 'OBJ',
    milestone: { year: 2018, value: 2 },
    finalTarget: { year: 2023, value: 12 },
    baseline: null,
    source: 'illustrative',
  },
  {
    ...so31,
    indicator: 'RCO85',
    milestone: { year: 2018, value: 20 },
    finalTarget: { year: 2023, value: 150 },
    baseline: null,
    source: 'illustrative',
  },
  {
    ...so31,
    indicator: 'RCR104',
    milestone: null,
    finalTarget: { year: 2023, value: 7 },
    baseline: { value: 0, referenceYear: 2017 },
    source: 'Programme: the quality management system in 7 partner institutions (final target); baseline illustrative',
  },
];
