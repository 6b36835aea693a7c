import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bearerAuth, signToken } from '@il/http-kit';
import type { RequestHandler } from 'express';
import type { Config } from './config.js';

/**
 * Bearer-token authentication from config. Production refuses to start without a configured secret or key set;
 * elsewhere a development secret is kept in DATA_DIR and an admin token for it is printed, clearly marked, so
 * `npm start` works without any set-up.
 */
export async function authSetup(
  config: Config,
  actorId: (issuer: string, subject: string) => Promise<string>,
): Promise<{ authenticate: RequestHandler; devToken?: string }> {
  const options = {
    audience: config.JWT_AUDIENCE,
    issuer: config.JWT_ISSUER,
    maxLifetimeSeconds: config.JWT_MAX_LIFETIME,
    actorId,
  };
  if (config.JWT_SECRET || config.JWT_JWKS_FILE) {
    return {
      authenticate: bearerAuth({
        ...options,
        secret: config.JWT_SECRET,
        jwksFile: config.JWT_SECRET ? undefined : config.JWT_JWKS_FILE,
      }),
    };
  }
  if (config.NODE_ENV === 'production')
    throw new Error('refusing to start in production without JWT_SECRET or JWT_JWKS_FILE');
  mkdirSync(config.DATA_DIR, { recursive: true });
  const file = join(config.DATA_DIR, 'dev-jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  const secret = readFileSync(file, 'utf8').trim();
  const devToken = await signToken(
    secret,
    { sub: 'dev-admin', roles: ['admin'] },
    { ...options, expiresIn: `${config.JWT_MAX_LIFETIME}s` },
  );
  // Printed by startService, and only by a process that serves /v1 routes (the relay alone has nothing to call).
  return { authenticate: bearerAuth({ ...options, secret }), devToken };
}
