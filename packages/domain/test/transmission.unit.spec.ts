import { expect } from 'chai';
import {
  builtinCatalogues,
  decideProgrammeTargets,
  evolveProgramme,
  initialProgrammeState,
  NotFoundError,
  RuleViolationError,
  socQualityProgramme,
  socQualityProgrammeTargets,
  transmissionTables,
  type DomainEvent,
  type EventOf,
} from '../src/index.js';

const catalogue = builtinCatalogues['interreg-2021-2027']!;
const registered = evolveProgramme(initialProgrammeState, {
  type: 'ProgrammeRegistered',
  data: { ...socQualityProgramme, catalogue },
});
const set = (data: EventOf<'ProgrammeTargetSet'>['data']): EventOf<'ProgrammeTargetSet'> => ({
  type: 'ProgrammeTargetSet',
  data,
});
const [rco81, obj, , rcr104] = socQualityProgrammeTargets.map(set);

describe('programme targets', () => {
  it('fit the catalogue: outputs have a milestone, results a baseline', () => {
    expect(decideProgrammeTargets(registered, socQualityProgrammeTargets.map(set))).to.have.length(4);
    const wrong = [
      set({ ...rco81!.data, indicator: 'NOPE' }),
      set({ ...rco81!.data, milestone: null }),
      set({ ...rcr104!.data, milestone: { year: 2018, value: 1 } }),
      set({ ...rcr104!.data, baseline: null }),
      set({ ...obj!.data, baseline: { value: 1, referenceYear: 2017 } }),
    ];
    let issues: string[] = [];
    try {
      decideProgrammeTargets(registered, wrong);
    } catch (e) {
      expect(e).to.be.instanceOf(RuleViolationError);
      issues = (e as RuleViolationError).errors.map((i) => i.path);
    }
    expect(issues).to.deep.equal([
      'targets.0.indicator',
      'targets.1.milestone',
      'targets.2.milestone',
      'targets.3.baseline',
      'targets.4.baseline',
    ]);
    expect(() => decideProgrammeTargets(initialProgrammeState, [rco81!])).to.throw(NotFoundError);
  });

  it('are amended by setting them again; the same value again is not a new fact', () => {
    const state = [rco81!, obj!].reduce((s, e) => evolveProgramme(s, e as DomainEvent), registered);
    expect(decideProgrammeTargets(state, [rco81!])).to.deep.equal([]);
    const amended = set({ ...rco81!.data, finalTarget: { year: 2023, value: 1200 } });
    expect(decideProgrammeTargets(state, [amended])).to.deep.equal([amended]);
  });
});

describe('transmission tables', () => {
  const operation = (
    projectId: string,
    specificObjective: string,
    targets: [string, number][],
    achieved: [string, number | null][],
  ) => ({
    projectId,
    priority: '3',
    specificObjective,
    targets: new Map(targets),
    achieved: new Map(achieved),
  });
  const tables = transmissionTables({
    programmeId: 'LV-LT',
    cutOff: '2018-12-31',
    asOf: '2019-01-10T00:00:00.000Z',
    basis: 'recorded',
    catalogue,
    targets: [...socQualityProgrammeTargets].reverse(),
    operations: [
      operation(
        'A',
        '3.1',
        [
          ['RCO81', 400],
          ['OBJ', 6],
        ],
        [
          ['RCO81', 57],
          ['OBJ', 1],
          ['RCO85', 10],
        ],
      ),
      operation(
        'B',
        '3.1',
        [['RCO81', 300.5]],
        [
          ['RCO81', 20],
          ['OBJ', 2],
        ],
      ),
      operation('C', '4.1', [['RCO81', 1000]], [['RCO81', 999]]),
    ],
  });

  it('has a row per programme target, outputs and results apart, in priority, objective and code order', () => {
    expect(tables.outputs.map((r) => r.indicator)).to.deep.equal(['OBJ', 'RCO81', 'RCO85']);
    expect(tables.results.map((r) => r.indicator)).to.deep.equal(['RCR104']);
  });

  it('sums the targets of the selected operations of the objective, and what they achieved by the rule', () => {
    const row = (code: string) => tables.outputs.find((r) => r.indicator === code)!;
    expect(row('RCO81')).to.deep.include({ selectedOperations: 700.5, achieved: 77 });
    // A distinct count per project, then added: A's 1 object and B's 2 are 3, whether or not they are the same.
    expect(row('OBJ')).to.deep.include({ selectedOperations: 6, achieved: 3 });
    expect(row('RCO85')).to.deep.include({ selectedOperations: 0, achieved: 10 });
    expect(tables.results[0]).to.deep.include({ achieved: 0, baseline: { value: 0, referenceYear: 2017 } });
  });

  it('measures progress against the milestone and the final target, and flags what lags the time elapsed', () => {
    const rco81Row = tables.outputs.find((r) => r.indicator === 'RCO81')!;
    // 2014-01-01 .. 2018-12-31 is the whole way to the 2018 milestone: 77 of 150 is short of it.
    expect(rco81Row.progress).to.deep.equal({
      ofMilestone: 77 / 150,
      ofFinalTarget: 77 / 1000,
      elapsedToMilestone: 1,
      atRisk: true,
    });
    const obj = tables.outputs.find((r) => r.indicator === 'OBJ')!;
    expect(obj.progress.atRisk, '3 of a milestone of 2').to.equal(false);
    expect(tables.results[0]!.progress).to.deep.include({ ofMilestone: null, atRisk: false });
  });
});
