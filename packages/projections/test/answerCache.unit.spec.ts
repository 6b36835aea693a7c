import { expect } from 'chai';
import { cachedAnswers, type ProjectIndicators, type ViewQueries, type ViewVersion } from '../src/index.js';

// Answers are reused for exactly the version they were computed at: any other revision, generation or format, or a
// question without a version, computes again.
describe('answers reused per view version (cachedAnswers)', () => {
  function counting() {
    let computed = 0;
    const inner = {
      projectIndicators: async (projectId: string) => ({ projectId, n: ++computed }) as unknown as ProjectIndicators,
      programmeIndicators: async (programmeId: string) => ({ programmeId, n: ++computed }),
    } as unknown as ViewQueries;
    return { queries: cachedAnswers(inner), computed: () => computed };
  }
  const v: ViewVersion = { generation: 'g1', format: 4, revision: 7 };
  const today = '2020-02-29';

  it('answers a project question once per version, and again for another version or question', async () => {
    const { queries, computed } = counting();
    const first = await queries.projectIndicators('P', { today, version: v });
    const reused = await queries.projectIndicators('P', { today, version: { ...v } });
    expect(reused).to.deep.equal(first);
    expect(computed()).to.equal(1);
    // Kept as text: an answer handed out and changed by its caller does not change what is reused.
    (reused as unknown as { n: number }).n = 99;
    expect(await queries.projectIndicators('P', { today, version: v })).to.deep.equal(first);
    for (const other of [
      { ...v, revision: 8 },
      { ...v, generation: 'g2' },
      { ...v, format: 5 },
    ]) {
      expect(await queries.projectIndicators('P', { today, version: other })).to.not.deep.equal(first);
    }
    expect(computed()).to.equal(4);
    await queries.projectIndicators('P', { today, version: v, periodId: 'P2' });
    await queries.projectIndicators('P', { today: '2020-03-01', version: v });
    await queries.projectIndicators('Q', { today, version: v });
    expect(computed()).to.equal(7);
  });

  it('computes every question without a version, and keys programme questions by all their parameters', async () => {
    const { queries, computed } = counting();
    await queries.projectIndicators('P', { today });
    await queries.projectIndicators('P', { today });
    expect(computed()).to.equal(2);
    await queries.programmeIndicators('G', { groupBy: 'country', version: v });
    await queries.programmeIndicators('G', { groupBy: 'country', version: v });
    await queries.programmeIndicators('G', { groupBy: 'region', version: v });
    await queries.programmeIndicators('G', { groupBy: 'country', basis: 'verified', version: v });
    expect(computed()).to.equal(5);
  });
});
