import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router } from 'express';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { actorOf, bearerAuth, createApp, createMetrics, errorHandler, writeRateLimit } from '../src/index.js';

function appWith(authenticate: ReturnType<typeof bearerAuth>, writesPerMinute = 0) {
  const router = Router();
  router.get('/v1/me', (_req, res) => {
    res.json(actorOf(res));
  });
  router.post('/v1/things', (_req, res) => {
    res.status(201).json({});
  });
  return createApp({ service: 't', metrics: createMetrics('t'), log: () => undefined, readiness: async () => ({ ok: true, details: {} }), routers: [router], authenticate, writesPerMinute });
}

describe('bearer tokens', () => {
  it('verifies RS256 tokens against a JWKS file', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const file = join(mkdtempSync(join(tmpdir(), 'il-jwks-')), 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] }));
    const app = appWith(bearerAuth({ jwksFile: file, audience: 'indicator-ledger', issuer: 'https://idp.example' }));
    const sign = (iss: string) =>
      new SignJWT({ roles: ['secretariat'], programmeId: 'LV-LT' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('js').setIssuer(iss).setAudience('indicator-ledger').setExpirationTime('5m').sign(privateKey);
    const me = await request(app).get('/v1/me').set('authorization', `Bearer ${await sign('https://idp.example')}`).expect(200);
    expect(me.body).to.deep.equal({ id: 'js', roles: ['secretariat'], programmeId: 'LV-LT' });
    await request(app).get('/v1/me').set('authorization', `Bearer ${await sign('https://other.example')}`).expect(401);
  });

  it('refuses an HS256 token when only RS256 keys are configured (no algorithm confusion)', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const jwk = await exportJWK(publicKey);
    const file = join(mkdtempSync(join(tmpdir(), 'il-jwks-')), 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...jwk, kid: 'k1' }] }));
    const app = appWith(bearerAuth({ jwksFile: file, audience: 'indicator-ledger' }));
    const hs = await new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setSubject('m').setAudience('indicator-ledger').setExpirationTime('5m').sign(new TextEncoder().encode(String(jwk.n)));
    await request(app).get('/v1/me').set('authorization', `Bearer ${hs}`).expect(401);
  });
});

describe('bearer tokens: verified once, trusted only until they expire', function () {
  this.timeout(10_000);
  it('accepts a token again without re-verifying it, and refuses it once it has expired', async () => {
    const secret = 'a-secret-of-at-least-thirty-two-characters!';
    const app = appWith(bearerAuth({ secret, audience: 'indicator-ledger' }));
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await new SignJWT({ roles: ['viewer'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('v').setAudience('indicator-ledger').setExpirationTime(exp).sign(new TextEncoder().encode(secret));
    for (let i = 0; i < 3; i++) expect((await request(app).get('/v1/me').set('authorization', `Bearer ${token}`).expect(200)).body).to.deep.equal({ id: 'v', roles: ['viewer'] });
    await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
    await request(app).get('/v1/me').set('authorization', `Bearer ${token}`).expect(401);
    // A token that differs in one character of its signature is not the cached one.
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    await request(app).get('/v1/me').set('authorization', `Bearer ${forged}`).expect(401);
  });
});

describe('write rate limit per token', () => {
  it('allows a burst of the per-minute limit, then answers 429 with Retry-After, and refills over time', async () => {
    let now = 1_000_000;
    const limit = writeRateLimit(3, () => now);
    const router = Router();
    router.post('/v1/things', (_req, res) => {
      res.status(201).json({});
    });
    router.get('/v1/things', (_req, res) => {
      res.json({});
    });
    const app = createApp({ service: 't', metrics: createMetrics('t'), log: () => undefined, readiness: async () => ({ ok: true, details: {} }), routers: [router] });
    // Mount the limiter with a fixed clock in front of the same routes.
    const { default: express } = await import('express');
    const outer = express();
    outer.use('/v1', (_req, res, next) => {
      res.locals['actor'] = { id: 'token-a', roles: ['admin'] };
      next();
    }, limit);
    outer.use(app);
    outer.use(errorHandler(() => undefined));
    for (let i = 0; i < 3; i++) await request(outer).post('/v1/things').send({}).expect(201);
    const limited = await request(outer).post('/v1/things').send({}).expect(429);
    expect(limited.headers['retry-after']).to.equal('20');
    expect(limited.body.type).to.match(/rate-limited$/);
    await request(outer).get('/v1/things').expect(200);
    now += 20_000;
    await request(outer).post('/v1/things').send({}).expect(201);
  });
});
