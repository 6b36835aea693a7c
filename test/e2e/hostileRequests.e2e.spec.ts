import { expect } from 'chai';
import { connect } from 'node:net';
import { startDemoSystem, type TestSystem } from './testSystem.js';

const P = '/v1/projects/LLI-317';
const camp = {
  partner: 'PP7',
  campId: 'hostile',
  startDate: '2019-07-08',
  endDate: '2019-07-12',
  location: 'Rokiškis',
  country: 'LT',
  participants: { total: 5, crossBorder: 1 },
};

/** One raw HTTP/1.1 exchange on 127.0.0.1: `send` writes the request (headers and body as it likes); resolves with what came back before the socket closed or `waitMs` passed. */
function raw(
  url: string,
  send: (write: (s: string) => void) => Promise<void> | void,
  waitMs: number,
): Promise<{ text: string; closed: boolean; ms: number }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(Number(port), '127.0.0.1');
    let text = '';
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed, ms: Date.now() - started });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (d) => (text += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('connect', () => void send((s) => socket.write(s)));
  });
}

describe('hostile requests: refused with a 4xx problem, nothing stored, never a 500', function () {
  this.timeout(120_000);
  let t: TestSystem;
  let admin: string;
  let head: string;

  before(async () => {
    const demo = await startDemoSystem({ BODY_LIMIT: '16kb', REQUEST_TIMEOUT_MS: '2000' });
    t = demo;
    admin = demo.admin;
    head = (await t.store.headPosition()).position;
  });
  after(async () => {
    // Nothing any test here sent was stored.
    expect((await t.store.headPosition()).position).to.equal(head);
    await t?.stop();
  });

  const call = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: {
        authorization: admin,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
  };

  it('refuses JSON nested deeper than the documented limit, with an Idempotency-Key too', async () => {
    for (const depth of [33, 5000, 100_000]) {
      const deep = '['.repeat(depth) + ']'.repeat(depth);
      for (const body of [deep, JSON.stringify({ ...camp, location: 'x' }).replace('"x"', deep)]) {
        const r = await call('POST', `${P}/camps`, body, { 'idempotency-key': `deep-${depth}` });
        if (body.length > 16_000) expect(r.status).to.equal(413);
        else {
          expect(r.status, `depth ${depth}`).to.equal(400);
          expect(r.body['type']).to.equal('https://indicator-ledger.dev/problems/validation-failed');
        }
      }
    }
  });

  it('validates ids before using them: objects with their own toString, and deep arrays', async () => {
    const deepArray = JSON.parse('['.repeat(30) + '"x"' + ']'.repeat(30)) as unknown;
    for (const value of [{ toString: 1 }, { valueOf: 1, toString: 'x' }, deepArray]) {
      expect(
        (
          await call(
            'POST',
            `${P}/corrections`,
            JSON.stringify({ correctsEventId: value, replacement: { type: 'CampHeld', data: camp } }),
          )
        ).status,
      ).to.equal(400);
      expect(
        (await call('POST', `${P}/retractions`, JSON.stringify({ retractsEventId: value, reason: 'x' }))).status,
      ).to.equal(400);
      const r = await call('POST', '/v1/projects', JSON.stringify({ projectId: 'LLI-999', programmeId: value }));
      expect(r.status, JSON.stringify(r.body)).to.be.oneOf([400, 404]);
    }
  });

  it('accepts only ISO 8601 dates and instants for asOf, on every query route', async () => {
    const routes = [
      `${P}/indicators`,
      `${P}/indicators/RCO81/evidence`,
      '/v1/programmes/LV-LT/indicators',
      '/v1/programmes/LV-LT/projects/behind-target',
      '/v1/programmes/LV-LT/indicators/RCO81/series',
    ];
    for (const route of routes) {
      for (const asOf of [
        '-004714-01-01',
        '-271821-04-20T00:00:00Z',
        '1',
        'Mon, 30 Sep 2019 00:00:00 GMT',
        '2019-13-45',
        '2019-09-30T12:00:00',
      ]) {
        const r = await call('GET', `${route}?asOf=${encodeURIComponent(asOf)}`);
        expect(r.status, `${route} asOf=${asOf}`).to.equal(400);
        expect(r.body['errors'][0].path).to.equal('asOf');
      }
      expect((await call('GET', `${route}?asOf=2019-09-30T12:00:00%2B03:00`)).status, route).to.equal(200);
      expect((await call('GET', `${route}?asOf=2019-09-30`)).status, route).to.equal(200);
    }
  });

  it('refuses a chunked body that is not JSON instead of passing it on as an empty one', async () => {
    for (const type of ['text/plain', undefined]) {
      const r = await raw(
        t.url,
        (write) => {
          write(
            `POST ${P}/reports/P2/submit HTTP/1.1\r\nHost: x\r\nAuthorization: ${admin}\r\n${type ? `Content-Type: ${type}\r\n` : ''}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
          );
          const body = '{"partner":"PP2"}';
          write(`${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
        },
        10_000,
      );
      expect(r.text, String(type)).to.match(/^HTTP\/1\.1 415 /);
    }
  });

  it('answers a trickled chunked body over the limit as soon as the limit is passed', async () => {
    let stop = false;
    let sent = 0;
    const r = await raw(
      t.url,
      async (write) => {
        write(
          `POST ${P}/camps HTTP/1.1\r\nHost: x\r\nAuthorization: ${admin}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        );
        const chunk = ' '.repeat(1024);
        // Up to 64 KiB (4x the limit) in 1 KiB chunks, 10 ms apart, until the server answers.
        for (let i = 0; i < 64 && !stop; i++) {
          write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
          sent += chunk.length;
          await new Promise((res) => setTimeout(res, 10));
        }
      },
      10_000,
    );
    stop = true;
    expect(r.text).to.match(/^HTTP\/1\.1 413 /);
    expect(sent, 'the server read the whole trickle before answering').to.be.below(64 * 1024);
  });

  it('times out a body that never ends, as configured', async () => {
    const r = await raw(
      t.url,
      (write) => {
        write(
          `POST ${P}/camps HTTP/1.1\r\nHost: x\r\nAuthorization: ${admin}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n`,
        );
      },
      10_000,
    );
    expect(r.text).to.match(/^HTTP\/1\.1 408 /);
    expect(r.closed).to.equal(true);
  });

  it('refuses a body that is not valid UTF-8 instead of storing U+FFFD', async () => {
    const body = Buffer.concat([
      Buffer.from(JSON.stringify({ ...camp, location: 'Rok' }).replace('"Rok"', '"Rok')),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const res = await fetch(`${t.url}${P}/camps`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { detail: string }).detail).to.equal('The request body is not valid UTF-8.');
  });

  it('answers a known path with a wrong method 405 with Allow', async () => {
    const r = await call('DELETE', `${P}/camps`);
    expect(r.status).to.equal(405);
    expect(r.headers.get('allow')).to.equal('POST');
    expect(r.body['type']).to.equal('https://indicator-ledger.dev/problems/method-not-allowed');
    expect((await call('PUT', '/healthz')).headers.get('allow')).to.equal('GET, HEAD');
    expect((await call('GET', '/v1/nowhere')).status).to.equal(404);
  });

  it('refuses unknown fields when registering a programme, as every other route does', async () => {
    const r = await call(
      'POST',
      '/v1/programmes',
      JSON.stringify({
        programmeId: 'XX-YY',
        name: 'X',
        timeZone: 'Europe/Riga',
        catalogue: 'interreg-2021-2027',
        contact: 'someone@example.org',
      }),
    );
    expect(r.status).to.equal(400);
  });
});
