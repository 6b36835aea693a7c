import { expect } from 'chai';
import { NotFoundError, socQualityOutputs, socQualityPartners, socQualityProject, type DomainEvent } from '@il/domain';
import { createProgrammePartials, programmeIndicators, rebuildViews, type SqlGroupBy } from '../src/index.js';
import {
  append,
  camp,
  openViewsFixture,
  projectStream,
  projectOnce,
  registerSocQuality,
  type ViewsFixture,
} from './fixtures/scenario.js';

describe('programme aggregation kept as parts per project (PostgreSQL)', function () {
  this.timeout(120_000);
  let f: ViewsFixture;
  const otherStream = 'project-LLI-999';
  let otherIds: string[];
  let socQualityIds: string[];

  const project = () => projectOnce(f.store, f.views, [projectStream, otherStream]);
  const groupings: SqlGroupBy[] = ['priority', 'specificObjective', 'country', 'region', 'partner', 'project'];
  const windows = [{}, { from: '2019-01-01', to: '2019-06-30' }, { from: '2018-07-13' }, { to: '2018-12-31' }];
  async function expectTheFold(partials: ReturnType<typeof createProgrammePartials>, when: string) {
    for (const groupBy of groupings) {
      for (const w of windows) {
        const q = { groupBy, ...w };
        expect(await partials.programmeIndicators('LV-LT', q), `${when}: ${JSON.stringify(q)}`).to.deep.equal(
          await programmeIndicators(f.views, 'LV-LT', q),
        );
      }
    }
  }

  before(async () => {
    f = await openViewsFixture();
    await registerSocQuality(f.store);
    socQualityIds = await append(f.store, projectStream, socQualityOutputs);
    // A second project of the programme, in another priority, with part of SocQuality's outputs.
    otherIds = await append(f.store, otherStream, [
      {
        type: 'ProjectRegistered',
        data: { ...socQualityProject, projectId: 'LLI-999', acronym: 'Other', priority: '2', specificObjective: '2.1' },
      },
      ...socQualityPartners,
      ...socQualityOutputs.slice(0, 12),
    ]);
    await project();
  });
  after(async () => f?.close());

  it('answers what the fold answers, and after a change aggregates only the changed project again', async () => {
    const partials = createProgrammePartials(f.views, { questions: 100 });
    await expectTheFold(partials, 'first');
    const q = { groupBy: 'country' as const };
    await partials.programmeIndicators('LV-LT', q);
    expect(partials.stats().lastRecomputed, 'nothing changed').to.equal(0);

    await append(f.store, otherStream, [camp(500)]);
    await project();
    expect(await partials.programmeIndicators('LV-LT', q)).to.deep.equal(
      await programmeIndicators(f.views, 'LV-LT', q),
    );
    expect(partials.stats().lastRecomputed, 'the changed project only').to.equal(1);

    const first = socQualityOutputs.findIndex((e) => e.type === 'CampHeld');
    const original = socQualityOutputs[first] as Extract<DomainEvent, { type: 'CampHeld' }>;
    await append(f.store, otherStream, [
      {
        type: 'OutputCorrected',
        data: {
          correctsEventId: otherIds[1 + socQualityPartners.length + first]!,
          replacement: { ...original, data: { ...original.data, participants: { total: 55, crossBorder: 21 } } },
        },
      },
      { type: 'OutputRetracted', data: { retractsEventId: otherIds[1 + socQualityPartners.length]!, reason: 'test' } },
    ]);
    await project();
    await expectTheFold(partials, 'after a correction and a retraction');
  });

  it("follows the data's last date: the default window without aggregating again, a half-open one with every project", async () => {
    const partials = createProgrammePartials(f.views);
    const open = { groupBy: 'region' as const };
    const halfOpen = { groupBy: 'region' as const, from: '2018-07-13' };
    const before = await partials.programmeIndicators('LV-LT', open);
    await partials.programmeIndicators('LV-LT', halfOpen);
    // Retracting the programme's last output (SocQuality's closing expenditure) moves the window's end.
    const last = socQualityOutputs.findIndex((e) => e.type === 'ExpenditureDeclared' && e.data.date === before.to);
    expect(last, `an output on the window's last day, ${before.to}`).to.be.at.least(0);
    await append(f.store, projectStream, [
      { type: 'OutputRetracted', data: { retractsEventId: socQualityIds[last]!, reason: 'test' } },
    ]);
    await project();

    const after = await partials.programmeIndicators('LV-LT', open);
    expect(after.to < before.to).to.equal(true);
    expect(after).to.deep.equal(await programmeIndicators(f.views, 'LV-LT', open));
    expect(partials.stats().lastRecomputed, 'no window asked: the changed project').to.equal(1);
    expect(await partials.programmeIndicators('LV-LT', halfOpen)).to.deep.equal(
      await programmeIndicators(f.views, 'LV-LT', halfOpen),
    );
    expect(partials.stats().lastRecomputed, 'a window ending at the last date: every project').to.equal(2);

    await rebuildViews(f.url, f.store);
    expect(await partials.programmeIndicators('LV-LT', open)).to.deep.equal(
      await programmeIndicators(f.views, 'LV-LT', open),
    );
    expect(partials.stats().lastRecomputed, 'a new copy of the views: every project').to.equal(2);
  });

  it('answers as-of questions, period series and unknown programmes as the fold does', async () => {
    const partials = createProgrammePartials(f.views);
    const asOf = new Date();
    for (const q of [
      { groupBy: 'country' as const, asOf },
      { groupBy: 'period' as const, granularity: 'quarter' as const },
    ]) {
      expect(await partials.programmeIndicators('LV-LT', q)).to.deep.equal(
        await programmeIndicators(f.views, 'LV-LT', q),
      );
    }
    expect(partials.stats().questions).to.equal(0);
    expect(
      await partials.programmeIndicators('NOPE', { groupBy: 'country' }).then(
        () => undefined,
        (e: unknown) => e,
      ),
    ).to.be.instanceOf(NotFoundError);
  });
});
