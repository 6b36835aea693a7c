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
  return createApp({
    service: 't',
    metrics: createMetrics('t'),
    log: () => undefined,
    readiness: async () => ({ ok: true, details: {} }),
    routers: [router],
    authenticate,
    writesPerMinute,
  });
}

describe('bearer tokens', () => {
  it('verifies RS256 tokens against a JWKS file', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const file = join(mkdtempSync(join(tmpdir(), 'il-jwks-')), 'jwks.json');
    writeFileSync(
      file,
      JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] }),
    );
    const app = appWith(bearerAuth({ jwksFile: file, audience: 'indicator-ledger', issuer: 'https://idp.example' }));
    const sign = (iss: string) =>
      new SignJWT({ roles: ['secretariat'], programmeId: 'LV-LT' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('js')
        .setIssuer(iss)
        .setAudience('indicator-ledger')
        .setExpirationTime('5m')
        .sign(privateKey);
    const me = await request(app)
      .get('/v1/me')
      .set('authorization', `Bearer ${await sign('https://idp.example')}`)
      .expect(200);
    expect(me.body).to.deep.equal({ id: 'js', roles: ['secretariat'], programmeId: 'LV-LT' });
    await request(app)
      .get('/v1/me')
      .set('authorization', `Bearer ${await sign('https://other.example')}`)
      .expect(401);
  });

  it('refuses an HS256 token when only RS256 keys are configured (no algorithm confusion)', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const jwk = await exportJWK(publicKey);
    const file = join(mkdtempSync(join(tmpdir(), 'il-jwks-')), 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...jwk, kid: 'k1' }] }));
    const app = appWith(bearerAuth({ jwksFile: file, audience: 'indicator-ledger' }));
    const hs = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setSubject('m')
      .setAudience('indicator-ledger')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(String(jwk.n)));
    await request(app).get('/v1/me').set('authorization', `Bearer ${hs}`).expect(401);
  });
});

describe('bearer tokens: verified once, trusted only until they expire', function () {
  this.timeout(10_000);
  it('accepts a token again without re-verifying it, and refuses it once it has expired', async () => {
    const secret = 'a-secret-of-at-least-thirty-two-characters!';
    const app = appWith(bearerAuth({ secret, audience: 'indicator-ledger' }));
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await new SignJWT({ roles: ['viewer'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('v')
      .setAudience('indicator-ledger')
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(secret));
    for (let i = 0; i < 3; i++)
      expect((await request(app).get('/v1/me').set('authorization', `Bearer ${token}`).expect(200)).body).to.deep.equal(
        { id: 'v', roles: ['viewer'] },
      );
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
    const app = createApp({
      service: 't',
      metrics: createMetrics('t'),
      log: () => undefined,
      readiness: async () => ({ ok: true, details: {} }),
      routers: [router],
    });
    // Mount the limiter with a fixed clock in front of the same routes.
    const { default: express } = await import('express');
    const outer = express();
    outer.use(
      '/v1',
      (_req, res, next) => {
        res.locals['actor'] = { id: 'token-a', roles: ['admin'] };
        next();
      },
      limit,
    );
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

describe('bearer tokens: lifetime and encoding', () => {
  const secret = 'unit-secret-0123456789abcdef0123456789';
  const key = new TextEncoder().encode(secret);
  const app = appWith(bearerAuth({ secret, audience: 'indicator-ledger', maxLifetimeSeconds: 3600 }));
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: { exp?: number; iat?: number; nbf?: number }) => {
    let jwt = new SignJWT({ roles: ['admin'], ...(claims.nbf !== undefined ? { nbf: claims.nbf } : {}) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setAudience('indicator-ledger');
    if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
    return jwt.setExpirationTime(claims.exp ?? now + 600).sign(key);
  };
  const status = async (token: string) =>
    (await request(app).get('/v1/me').set('authorization', `Bearer ${token}`)).status;

  it('accepts a token within its bounds', async () => {
    expect(await status(await sign({ iat: now, exp: now + 3000 }))).to.equal(200);
    expect(await status(await sign({ iat: now + 30, exp: now + 3000 })), 'iat within the clock skew').to.equal(200);
  });

  it('refuses a lifetime over the maximum, by exp from now or from iat (an exp of 1e300 too)', async () => {
    expect(await status(await sign({ exp: now + 7200 }))).to.equal(401);
    expect(await status(await sign({ iat: now - 3000, exp: now + 1000 }))).to.equal(401);
    expect(await status(await sign({ exp: 1e300 }))).to.equal(401);
  });

  it('refuses iat or nbf beyond the clock skew', async () => {
    expect(await status(await sign({ iat: now + 600, exp: now + 1200 }))).to.equal(401);
    expect(await status(await sign({ nbf: now + 600, exp: now + 1200 }))).to.equal(401);
  });

  it('refuses non-canonical base64url: a trailing = or another spelling of the last character', async () => {
    const good = await sign({});
    expect(await status(good)).to.equal(200);
    expect(await status(`${good}=`)).to.equal(401);
    const [h, p, s] = good.split('.') as [string, string, string];
    // A 256-bit signature is 43 characters with 2 unused bits: flipping them gives the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(s.at(-1)!);
    const variant = `${h}.${p}.${s.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(variant.split('.')[2]!, 'base64url').equals(Buffer.from(s, 'base64url')), 'same bytes').to.equal(
      true,
    );
    expect(await status(variant)).to.equal(401);
  });
});
