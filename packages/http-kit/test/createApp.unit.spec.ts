import { expect } from 'chai';
import { Router } from 'express';
import request from 'supertest';
import { InvalidEventError } from '@il/domain';
import { ConcurrencyError, StoreUnavailableError } from '@il/event-store';
import { createApp, createLogger, createMetrics, HttpError } from '../src/index.js';

function app(ready = true) {
  const router = Router();
  router.post('/v1/echo', (req, res) => {
    res.status(201).json(req.body);
  });
  router.get('/v1/fail/:kind', (req) => {
    switch (req.params['kind']) {
      case 'validation':
        throw new InvalidEventError('invalid CampHeld', [
          { path: 'participants.total', message: 'too small' },
          { path: 'campId', message: 'required' },
        ]);
      case 'conflict':
        throw new ConcurrencyError('project-LLI-317', 3, 4);
      case 'down':
        throw new StoreUnavailableError('event store unavailable');
      case 'http':
        throw new HttpError(412, 'precondition-failed', 'ETag does not match');
      default:
        throw new Error('secret internals');
    }
  });
  return createApp({
    service: 'test',
    metrics: createMetrics('test'),
    log: () => undefined,
    readiness: async () => ({ ok: ready, details: { eventStore: ready ? 'reachable' : 'down' } }),
    routers: [router],
    bodyLimit: '1kb',
  });
}

describe('http-kit app', () => {
  it('answers health, readiness and metrics', async () => {
    await request(app()).get('/healthz').expect(200, { status: 'ok', service: 'test' });
    await request(app()).get('/readyz').expect(200);
    const notReady = await request(app(false)).get('/readyz').expect(503);
    expect(notReady.body).to.deep.equal({ status: 'not-ready', eventStore: 'down' });
    const a = app();
    await request(a).post('/v1/echo').send({ a: 1 }).expect(201);
    const metrics = await request(a).get('/metrics').expect(200);
    expect(metrics.text).to.match(
      /il_http_request_duration_seconds_count\{service="test",route="\/v1\/echo",method="POST",status="201"\} 1/,
    );
  });

  it('maps typed errors to problem+json with a stable type and every bad field', async () => {
    const r = await request(app())
      .get('/v1/fail/validation')
      .expect(400)
      .expect('content-type', /application\/problem\+json/);
    expect(r.body).to.deep.equal({
      type: 'https://indicator-ledger.dev/problems/validation-failed',
      title: 'Bad request',
      status: 400,
      detail: 'invalid CampHeld',
      errors: [
        { path: 'participants.total', message: 'too small' },
        { path: 'campId', message: 'required' },
      ],
    });
    expect((await request(app()).get('/v1/fail/conflict').expect(409)).body).to.include({ currentVersion: 4 });
    await request(app()).get('/v1/fail/down').expect(503);
    await request(app()).get('/v1/fail/http').expect(412);
  });

  it('hides internals of unexpected errors', async () => {
    const r = await request(app()).get('/v1/fail/boom').expect(500);
    expect(JSON.stringify(r.body)).to.not.include('secret');
  });

  it('refuses malformed JSON, other content types and bodies over the limit', async () => {
    const bad = await request(app()).post('/v1/echo').set('content-type', 'application/json').send('{"a":').expect(400);
    expect(bad.body.type).to.match(/malformed-json$/);
    await request(app()).post('/v1/echo').set('content-type', 'text/plain').send('a=1').expect(415);
    const big = await request(app())
      .post('/v1/echo')
      .send({ s: 'x'.repeat(2000) })
      .expect(413);
    expect(big.body.type).to.match(/body-too-large$/);
  });

  it('echoes a valid correlation id and makes one up otherwise', async () => {
    await request(app()).get('/healthz').set('x-correlation-id', 'abc-123').expect('x-correlation-id', 'abc-123');
    const r = await request(app()).get('/healthz').set('x-correlation-id', 'bad id with spaces');
    expect(r.headers['x-correlation-id']).to.match(/^[0-9a-f-]{36}$/);
  });

  it('logs one JSON entry per request with its correlation id, route template and status', async () => {
    const entries: Record<string, unknown>[] = [];
    const router = Router();
    router.get('/v1/things/:id', (_req, res) => {
      res.json({});
    });
    const a = createApp({
      service: 'test',
      metrics: createMetrics('test'),
      log: (e) => entries.push(e),
      readiness: async () => ({ ok: true, details: {} }),
      routers: [router],
    });
    await request(a).get('/v1/things/42').set('x-correlation-id', 'corr-1').expect(200);
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({
      msg: 'request',
      correlationId: 'corr-1',
      method: 'GET',
      route: '/v1/things/:id',
      status: 200,
    });
    expect(entries[0]!['ms']).to.be.a('number');
  });

  it('logs probes and scrapes at debug, a 503 as a warning without a stack, and a 500 as an error with one', async () => {
    const entries: Record<string, unknown>[] = [];
    const router = Router();
    router.get('/v1/behind', () => {
      throw new HttpError(503, 'projection-behind', 'not yet');
    });
    router.get('/v1/broken', () => {
      throw new Error('a bug');
    });
    const a = createApp({
      service: 'test',
      metrics: createMetrics('test'),
      log: (e) => entries.push(e),
      readiness: async () => ({ ok: true, details: {} }),
      routers: [router],
    });
    for (const path of ['/healthz', '/readyz', '/metrics']) await request(a).get(path).expect(200);
    expect(entries.map((e) => e['level'])).to.deep.equal(['debug', 'debug', 'debug']);
    entries.length = 0;
    await request(a).get('/v1/behind').expect(503);
    const warning = entries.find((e) => e['msg'] === 'request not served')!;
    expect(warning).to.include({ level: 'warn', problem: 'projection-behind' });
    expect(warning).to.not.have.property('error');
    entries.length = 0;
    await request(a).get('/v1/broken').expect(500);
    const failure = entries.find((e) => e['msg'] === 'request failed')!;
    expect(failure['level']).to.equal('error');
    expect(String(failure['error'])).to.include('a bug').and.include('at ');
  });

  it('writes only lines at or above LOG_LEVEL, each with time and level', () => {
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string) => written.push(chunk) > 0;
    try {
      const info = createLogger('t', 'info');
      info({ level: 'debug', msg: 'probe' });
      info({ msg: 'hello' });
      createLogger('t', 'debug')({ level: 'debug', msg: 'probe' });
      createLogger('t', 'silent')({ level: 'error', msg: 'nothing' });
    } finally {
      process.stdout.write = write;
    }
    const lines = written.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l['level'], l['msg']])).to.deep.equal([
      ['info', 'hello'],
      ['debug', 'probe'],
    ]);
    for (const l of lines) expect(l).to.include.keys('time', 'service', 'level');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const r = await request(app()).get('/v1/unknown').expect(404);
    expect(r.body.type).to.match(/not-found$/);
  });
});
