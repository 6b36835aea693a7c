import { expect } from 'chai';
import { builtinCatalogues, catalogueSchema } from '../src/index.js';

const base = { id: 'custom', name: 'Custom', indicators: [] as unknown[] };
const indicator = (over: Record<string, unknown>) => ({
  code: 'X1',
  name: 'X',
  unit: 'units',
  kind: 'output',
  aggregation: 'sum',
  rules: [],
  ...over,
});

function paths(catalogue: unknown): string[] {
  const r = catalogueSchema.safeParse(catalogue);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
}

describe('indicator catalogue', () => {
  it('ships the Interreg 2021-2027 defaults and the LV-LT 2014-2020 catalogue', () => {
    const codes = builtinCatalogues['interreg-2021-2027']!.indicators.map((i) => i.code);
    expect(codes).to.include.members([
      'RCO81',
      'RCO83',
      'RCO84',
      'RCO85',
      'RCO87',
      'RCO115',
      'RCO116',
      'RCR79',
      'RCR84',
      'RCR85',
      'RCR104',
      'OBJ',
      'EXP',
    ]);
    expect(builtinCatalogues['lv-lt-2014-2020']!.indicators.map((i) => i.code)).to.deep.equal([
      'R3.1',
      'O1',
      'O2',
      'EXP',
    ]);
  });

  it('accepts a valid custom catalogue', () => {
    expect(
      paths({ ...base, indicators: [indicator({ rules: [{ event: 'CampHeld', value: 'participants.total' }] })] }),
    ).to.deep.equal([]);
  });

  it('rejects rules naming events that contribute nothing', () => {
    expect(
      paths({ ...base, indicators: [indicator({ rules: [{ event: 'ReportApproved', value: 1 }] })] }),
    ).to.deep.equal(['indicators.0.rules.0.event']);
  });

  it('rejects value paths that are not numeric fields of the event', () => {
    expect(
      paths({
        ...base,
        indicators: [
          indicator({
            rules: [
              { event: 'CampHeld', value: 'location' },
              { event: 'CampHeld', value: 'participants.nobody' },
            ],
          }),
        ],
      }),
    ).to.deep.equal(['indicators.0.rules.0.value', 'indicators.0.rules.1.value']);
  });

  it('requires a distinct key exactly for count-distinct', () => {
    expect(
      paths({
        ...base,
        indicators: [indicator({ aggregation: 'count-distinct', rules: [{ event: 'InfrastructureCompleted' }] })],
      }),
    ).to.deep.equal(['indicators.0.rules.0.distinctKey']);
    expect(
      paths({ ...base, indicators: [indicator({ rules: [{ event: 'CampHeld', value: 1, distinctKey: 'campId' }] })] }),
    ).to.deep.equal(['indicators.0.rules.0.distinctKey']);
  });

  it('requires a value for sum, max and latest', () => {
    expect(
      paths({
        ...base,
        indicators: [indicator({ aggregation: 'latest', rules: [{ event: 'InfrastructureCompleted' }] })],
      }),
    ).to.deep.equal(['indicators.0.rules.0.value']);
  });

  it('rejects duplicate indicator codes and unknown aggregations', () => {
    expect(paths({ ...base, indicators: [indicator({}), indicator({ aggregation: 'median' })] })).to.deep.equal([
      'indicators.1.aggregation',
    ]);
    expect(paths({ ...base, indicators: [indicator({}), indicator({})] })).to.deep.equal(['indicators.1.code']);
  });
});
