import { expect } from 'chai';
import { startTestSystem, type TestSystem } from './testSystem.js';

describe('landing and browsable docs, served locally without a token', function () {
  this.timeout(120_000);
  let t: TestSystem;
  before(async () => {
    t = await startTestSystem();
  });
  after(async () => t?.stop());

  it('answers GET / with JSON for API clients and HTML for browsers, both linking the docs and the document', async () => {
    const json = await fetch(`${t.url}/`, { headers: { accept: 'application/json' } });
    expect(json.status).to.equal(200);
    const body = (await json.json()) as { name: string; version: string; links: Record<string, string> };
    expect(body.name).to.equal('Indicator Ledger');
    expect(body.version).to.match(/^\d+\.\d+\.\d+/);
    expect(body.links).to.include({ docs: '/docs', openapi: '/openapi.json', health: '/healthz' });
    const html = await fetch(`${t.url}/`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(html.headers.get('content-type')).to.match(/^text\/html/);
    const page = await html.text();
    expect(page).to.include('href="/docs"').and.to.include('href="/openapi.json"');
  });

  it('serves Swagger UI at /docs from its own assets, pointed at /openapi.json', async () => {
    const page = await (await fetch(`${t.url}/docs`)).text();
    expect(page)
      .to.include('/docs/assets/swagger-ui-bundle.js')
      .and.not.to.match(/https?:\/\//);
    const init = await (await fetch(`${t.url}/docs/init.js`)).text();
    expect(init).to.include("url: '/openapi.json'");
    for (const asset of ['/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css']) {
      const res = await fetch(`${t.url}${asset}`);
      expect(res.status, asset).to.equal(200);
      expect((await res.arrayBuffer()).byteLength, asset).to.be.above(1000);
    }
    expect((await fetch(`${t.url}/docs/assets/nope.js`)).status).to.equal(404);
  });

  it('documents both pages in /openapi.json', async () => {
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as {
      info: { version: string };
      paths: Record<string, unknown>;
    };
    const landing = (await (await fetch(`${t.url}/`, { headers: { accept: 'application/json' } })).json()) as {
      version: string;
    };
    expect(doc.info.version, 'one version, stated alike').to.equal(landing.version);
    expect(doc.paths).to.have.property('/');
    expect(doc.paths).to.have.property('/docs');
  });
});
