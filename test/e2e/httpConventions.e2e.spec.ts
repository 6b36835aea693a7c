import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import { firstSocQualityOutput } from '@il/domain';
import { startDemoSystem, startTestSystem, type TestSystem } from './testSystem.js';

const P = '/v1/projects/LLI-317';
const origin = 'https://dashboards.example.org';

/** A raw request, so that what is on the wire (Content-Encoding, CORS headers) is what the test sees. */
function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP conventions: CORS, compression, Location, If-Match, Retry-After', function () {
  this.timeout(120_000);
  let t: TestSystem & { admin: string };
  before(async () => {
    t = await startDemoSystem({ CORS_ORIGINS: `${origin}, http://localhost:3000` });
  });
  after(async () => t?.stop());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { authorization: t.admin, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  let serial = 0;
  const camp = () => ({ ...firstSocQualityOutput('CampHeld').data, campId: `conv-${serial++}` });

  it('answers a preflight from a configured origin without a token, and nothing for another origin', async () => {
    const preflight = (from: string) =>
      raw(`${t.url}${P}/camps`, 'OPTIONS', {
        origin: from,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, if-match, idempotency-key',
      });
    const ok = await preflight(origin);
    expect(ok.status).to.equal(204);
    expect(ok.headers['access-control-allow-origin']).to.equal(origin);
    expect(String(ok.headers['access-control-allow-headers']))
      .to.match(/Authorization/)
      .and.to.match(/Idempotency-Key/);
    const other = await preflight('https://evil.example.com');
    expect(other.headers['access-control-allow-origin']).to.equal(undefined);
    const get = await raw(`${t.url}${P}/indicators`, 'GET', { origin, authorization: t.admin });
    expect(get.status).to.equal(200);
    expect(get.headers['access-control-allow-origin']).to.equal(origin);
    expect(String(get.headers['access-control-expose-headers']))
      .to.match(/ETag/)
      .and.to.match(/Location/);
  });

  it('compresses large answers with brotli or gzip as asked, and leaves small ones as they are', async () => {
    const plain = await raw(`${t.url}/openapi.json`, 'GET', {});
    const br = await raw(`${t.url}/openapi.json`, 'GET', { 'accept-encoding': 'br' });
    const gzip = await raw(`${t.url}/metrics`, 'GET', { 'accept-encoding': 'gzip' });
    const small = await raw(`${t.url}/healthz`, 'GET', { 'accept-encoding': 'gzip, br' });
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(br.headers['content-encoding']).to.equal('br');
    expect(br.bytes).to.be.below(plain.bytes / 3);
    expect(gzip.headers['content-encoding']).to.equal('gzip');
    expect(small.headers['content-encoding']).to.equal(undefined);
  });

  it('names the changed resource in Location on 201, and it can be read there', async () => {
    const res = await post(`${P}/camps`, camp());
    expect(res.status).to.equal(201);
    const { eventId } = (await res.json()) as { eventId: string };
    expect(res.headers.get('location')).to.equal(`${P}/outputs/${eventId}`);
    const read = await fetch(`${t.url}${res.headers.get('location')}`, { headers: { authorization: t.admin } });
    expect(read.status).to.equal(200);
  });

  it('compares If-Match strongly: a weak tag is 412, * and a list naming the current version are accepted', async () => {
    const current = (await fetch(`${t.url}${P}`, { headers: { authorization: t.admin } })).headers.get('etag')!;
    const weak = await post(`${P}/camps`, camp(), { 'if-match': `W/${current}` });
    expect(weak.status).to.equal(412);
    expect(((await weak.json()) as { currentVersion: number }).currentVersion).to.equal(Number(JSON.parse(current)));
    const listed = await post(`${P}/camps`, camp(), { 'if-match': `"1", ${current}` });
    expect(listed.status).to.equal(201);
    expect((await post(`${P}/camps`, camp(), { 'if-match': '*' })).status).to.equal(201);
    expect((await post('/v1/projects/NOPE-1/camps', camp(), { 'if-match': '*' })).status).to.equal(404);
    expect((await post(`${P}/camps`, camp(), { 'if-match': '12' })).status).to.equal(400);
  });

  it('answers OPTIONS with every method of the path, whichever service serves each', async () => {
    const res = await raw(`${t.url}/v1/programmes`, 'OPTIONS', { authorization: t.admin });
    expect(res.status).to.equal(204);
    expect(String(res.headers['allow']).split(', ').sort()).to.deep.equal(['GET', 'HEAD', 'POST']);
  });

  it('says when to come back on a 503', async () => {
    const res = await fetch(`${t.url}${P}/indicators?minPosition=99999999999:0`, {
      headers: { authorization: t.admin },
    });
    expect(res.status).to.equal(503);
    expect(Number(res.headers.get('retry-after'))).to.be.above(0);
  });
});

describe('HTTP conventions: no CORS unless origins are configured', function () {
  this.timeout(120_000);
  let t: TestSystem;
  before(async () => {
    t = await startTestSystem();
  });
  after(async () => t?.stop());

  it('sends no CORS headers by default', async () => {
    const res = await raw(`${t.url}/v1/programmes/LV-LT/indicators`, 'OPTIONS', {
      origin,
      'access-control-request-method': 'GET',
    });
    expect(res.headers['access-control-allow-origin']).to.equal(undefined);
  });
});
