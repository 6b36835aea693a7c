import type { Request } from 'express';
import type { IfMatch } from '@il/commands';
import { HttpError } from '@il/http-kit';

const entityTag = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/**
 * If-Match as RFC 9110 defines it: `*` (the project must exist) or a list of entity tags compared strongly. This
 * API's tags are stream versions (`"12"`); a weak tag (`W/"12"`) or another server's tag never matches strongly, so
 * a list of only those is a 412, not a 400. Anything that is not an entity-tag list is a 400.
 */
export function ifMatchOf(req: Request): IfMatch | undefined {
  const raw = req.get('if-match');
  if (raw === undefined) return undefined;
  if (raw.trim() === '*') return '*';
  const versions: number[] = [];
  for (const part of raw.split(',')) {
    const m = entityTag.exec(part.trim());
    if (!m)
      throw new HttpError(400, 'invalid-if-match', 'If-Match must be * or ETags returned by this API, such as "12".', [
        { path: 'If-Match', message: `not an entity tag: ${part.trim().slice(0, 40)}` },
      ]);
    if (!m[1] && /^\d{1,15}$/.test(m[2]!)) versions.push(Number(m[2]));
  }
  return versions;
}

export function idempotencyKeyOf(req: Request): string | undefined {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(raw))
    throw new HttpError(400, 'invalid-idempotency-key', 'Idempotency-Key must be 1-200 printable ASCII characters.');
  return raw;
}

export const etag = (version: number) => `"${version}"`;
