#!/usr/bin/env node
// Signs the viewer token Grafana's JSON data source sends (role viewer: programme aggregates and series only), with
// the system's JWT_SECRET (HS256), and writes it to the file given (compose: a volume Grafana reads it from with
// $__file{}). Node's crypto only, so it runs in a bare node image.
//   JWT_SECRET=… [JWT_AUDIENCE=indicator-ledger] [JWT_ISSUER=…] [VIEWER_PROGRAMME=LV-LT] [VIEWER_TOKEN_SECONDS=86400] node infra/viewer-token.mjs out-file
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const env = process.env;
const secret = env.JWT_SECRET;
if (!secret || secret.length < 32) {
  process.stderr.write('viewer-token: JWT_SECRET (at least 32 characters, the same as the system’s) is required\n');
  process.exit(2);
}
const now = Math.floor(Date.now() / 1000);
// At most the system's JWT_MAX_LIFETIME (24 h by default): a longer token is refused.
const lifetime = Number(env.VIEWER_TOKEN_SECONDS ?? 86_400);
const claims = {
  sub: 'grafana',
  roles: ['viewer'],
  aud: env.JWT_AUDIENCE ?? 'indicator-ledger',
  iat: now,
  exp: now + lifetime,
  ...(env.JWT_ISSUER ? { iss: env.JWT_ISSUER } : {}),
  ...(env.VIEWER_PROGRAMME ? { programmeId: env.VIEWER_PROGRAMME } : {}),
};
const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
const token = `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
if (process.argv[2]) writeFileSync(process.argv[2], token, { mode: 0o644 });
else process.stdout.write(`${token}\n`);
