import { expect } from 'chai';
import { socQualityProject } from '@il/domain';
import { bearer } from './auth.js';
import { startDemoSystem, type TestSystem } from './testSystem.js';

/** Lists of programmes and of a programme's projects: paged with an opaque cursor, filtered, and by access. */
describe('lists: programmes and a programme’s projects', function () {
  this.timeout(120_000);
  let t: TestSystem & { admin: string; lastPosition: string };
  let position: string;
  before(async () => {
    t = await startDemoSystem();
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${t.url}${path}`, {
        method: 'POST',
        headers: { authorization: t.admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, path).to.equal(201);
      return ((await res.json()) as { position: string }).position;
    };
    await post('/v1/programmes', {
      programmeId: 'EE-LV',
      name: 'Estonia-Latvia',
      timeZone: 'Europe/Tallinn',
      catalogue: 'interreg-2021-2027',
    });
    for (let i = 1; i <= 5; i++)
      position = await post('/v1/projects', { ...socQualityProject, projectId: `LLI-9${i}` });
  });
  after(async () => t?.stop());

  const get = async (path: string, authorization = t.admin) => {
    const res = await fetch(`${t.url}${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`, {
      headers: { authorization },
    });
    return {
      status: res.status,
      body: (await res.json()) as { items: Record<string, unknown>[]; nextCursor: string | null },
    };
  };

  it('lists the programmes a caller may read', async () => {
    expect((await get('/v1/programmes')).body.items.map((p) => p['programmeId'])).to.deep.equal(['EE-LV', 'LV-LT']);
    const secretariat = await bearer({ sub: 'js', roles: ['secretariat'], programmeId: 'LV-LT' });
    expect((await get('/v1/programmes', secretariat)).body.items.map((p) => p['programmeId'])).to.deep.equal(['LV-LT']);
    const manager = await bearer({ sub: 'pm', roles: ['project-manager'], projectId: 'LLI-317' });
    expect((await get('/v1/programmes', manager)).body.items).to.deep.equal([]);
  });

  it('pages through a programme’s projects with the cursor, each once, in id order', async () => {
    const ids: unknown[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await get(`/v1/programmes/LV-LT/projects?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).to.equal(200);
      expect(page.body.items.length).to.be.at.most(2);
      ids.push(...page.body.items.map((p) => p['projectId']));
      cursor = page.body.nextCursor;
      if (!cursor) break;
    }
    expect(ids).to.deep.equal(['LLI-317', 'LLI-91', 'LLI-92', 'LLI-93', 'LLI-94', 'LLI-95']);
  });

  it('filters by country and status, and refuses what it does not know', async () => {
    const ended = await get('/v1/programmes/LV-LT/projects?status=ended&country=LV');
    expect(ended.body.items.map((p) => p['projectId'])).to.deep.equal(['LLI-317']);
    expect(ended.body.items[0])
      .to.include({ status: 'ended' })
      .and.to.have.property('countries')
      .that.deep.equals(['LT', 'LV']);
    expect((await get('/v1/programmes/LV-LT/projects?status=running')).body.items).to.deep.equal([]);
    expect((await get('/v1/programmes/NOPE/projects')).status).to.equal(404);
    expect((await get('/v1/programmes/LV-LT/projects?status=paused')).status).to.equal(400);
    expect((await get('/v1/programmes/LV-LT/projects?cursor=x')).status).to.equal(400);
    const other = await bearer({ sub: 'js2', roles: ['secretariat'], programmeId: 'EE-LV' });
    expect((await get('/v1/programmes/LV-LT/projects', other)).status).to.equal(404);
  });
});
