import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { createLocalJWKSet, jwtVerify, SignJWT, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { roles, type Actor } from './actor.js';
import { HttpError } from './httpError.js';

export interface AuthConfig {
  /** HS256 shared secret (at least 32 characters). */
  secret?: string | undefined;
  /** Path of a JWKS file with the public keys for RS256 tokens. */
  jwksFile?: string | undefined;
  audience: string;
  issuer?: string | undefined;
  /**
   * The opaque id events record for a token's issuer and subject (see the actor directory): no claim value is
   * stored verbatim. Without it the actor id is the subject (unit tests).
   */
  actorId?: ((issuer: string, subject: string) => Promise<string>) | undefined;
  /** Longest lifetime accepted (exp − iat, and exp − now); default 24 h. */
  maxLifetimeSeconds?: number | undefined;
}

/** Clock skew tolerated between the token's issuer and this server, for iat and nbf. */
const clockSkewSeconds = 60;

/**
 * Only the canonical encoding of each segment: base64url without padding whose unused low bits are zero. Other
 * spellings (a trailing `=`, another last character) decode to the same bytes, so one token had many accepted forms.
 */
function canonicalCompact(token: string): boolean {
  const parts = token.split('.');
  return (
    parts.length === 3 &&
    parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p) && Buffer.from(p, 'base64url').toString('base64url') === p)
  );
}

/** A lifetime the server is willing to trust: bounded, and issued no later than now (with skew). */
function lifetimeAcceptable(
  payload: { exp?: number; iat?: number; nbf?: number },
  maxLifetimeSeconds: number,
): boolean {
  const now = Date.now() / 1000;
  const { exp, iat, nbf } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp) || exp - now > maxLifetimeSeconds) return false;
  if (iat !== undefined && (typeof iat !== 'number' || iat > now + clockSkewSeconds || exp - iat > maxLifetimeSeconds))
    return false;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + clockSkewSeconds)) return false;
  return true;
}

const slug = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/);
const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  roles: z.array(z.enum(roles)).min(1),
  programmeId: slug.optional(),
  projectId: slug.optional(),
  partner: slug.optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
});

/** Scoped roles are useless without their scope; such a token is refused rather than silently widened or narrowed. */
function scopeComplete(c: z.output<typeof claimsSchema>): boolean {
  if (c.roles.includes('secretariat') && !c.programmeId) return false;
  if (c.roles.includes('project-manager') && !c.projectId) return false;
  if (c.roles.includes('partner-manager') && (!c.projectId || !c.partner)) return false;
  // First-level control is scoped to a programme's partners in one country, or to one partner of a project.
  if (c.roles.includes('first-level-controller') && !((c.programmeId && c.country) || (c.projectId && c.partner)))
    return false;
  return true;
}

const unauthorized = () => new HttpError(401, 'unauthorized', 'A valid bearer token is required.');

/** Verifies `Authorization: Bearer <JWT>` (signature, expiry, audience, issuer, claims) and sets the actor. */
export function bearerAuth(config: AuthConfig): RequestHandler {
  const hmac = config.secret ? new TextEncoder().encode(config.secret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = config.jwksFile
    ? createLocalJWKSet(JSON.parse(readFileSync(config.jwksFile, 'utf8')) as JSONWebKeySet)
    : undefined;
  if (!hmac && !jwks) throw new Error('authentication needs JWT_SECRET or JWT_JWKS_FILE');
  // Verified tokens, until they expire: a client sends the same token with every request, and checking its
  // signature again (WebCrypto, off the main thread) was a visible share of a small request's cost.
  const verified = new Map<string, { actor: Actor; expiresAt: number }>();
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer ([A-Za-z0-9._-]{10,8192})$/.exec(header);
    res.set('WWW-Authenticate', 'Bearer');
    if (!m || !canonicalCompact(m[1]!)) return next(unauthorized());
    const known = verified.get(m[1]!);
    if (known && Date.now() < known.expiresAt) {
      res.locals['actor'] = known.actor;
      res.removeHeader('WWW-Authenticate');
      return next();
    }
    if (known) verified.delete(m[1]!);
    const options = {
      audience: config.audience,
      ...(config.issuer ? { issuer: config.issuer } : {}),
      requiredClaims: ['exp', 'sub'],
    };
    let payload: JWTPayload;
    try {
      ({ payload } = hmac
        ? await jwtVerify(m[1]!, hmac, { ...options, algorithms: ['HS256'] })
        : await jwtVerify(m[1]!, jwks!, { ...options, algorithms: ['RS256'] }));
    } catch {
      return next(unauthorized());
    }
    // A failure from here on (the actor directory's database) is the server's, not the token's: not a 401.
    try {
      if (!lifetimeAcceptable(payload, config.maxLifetimeSeconds ?? 86_400)) return next(unauthorized());
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success || !scopeComplete(claims.data)) return next(unauthorized());
      const c = claims.data;
      const id = config.actorId
        ? await config.actorId(typeof payload.iss === 'string' ? payload.iss : '', c.sub)
        : c.sub;
      const actor: Actor = {
        id,
        roles: c.roles,
        ...(c.programmeId ? { programmeId: c.programmeId } : {}),
        ...(c.projectId ? { projectId: c.projectId } : {}),
        ...(c.partner ? { partner: c.partner } : {}),
        ...(c.country ? { country: c.country } : {}),
      };
      res.locals['actor'] = actor;
      if (typeof payload.exp === 'number') {
        if (verified.size >= 10_000) verified.delete(verified.keys().next().value as string);
        verified.set(m[1]!, { actor, expiresAt: payload.exp * 1000 });
      }
      res.removeHeader('WWW-Authenticate');
      next();
    } catch (e) {
      next(e);
    }
  };
}

/** Issues an HS256 token (development admin token, tests, scripts). */
export function signToken(
  secret: string,
  claims: {
    sub: string;
    roles: Actor['roles'];
    programmeId?: string;
    projectId?: string;
    partner?: string;
    country?: string;
  },
  options: { audience: string; issuer?: string; expiresIn?: string },
): Promise<string> {
  let jwt = new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  return jwt.sign(new TextEncoder().encode(secret));
}
