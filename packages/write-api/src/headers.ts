import type { Request } from 'express';
import { HttpError } from '@il/http-kit';

/** If-Match carries the stream version as an entity tag: `"12"` (weak `W/"12"` and bare `12` accepted). */
export function ifMatchOf(req: Request): number | undefined {
  const raw = req.get('if-match');
  if (raw === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,15})"?$/.exec(raw.trim());
  if (!m) throw new HttpError(400, 'invalid-if-match', 'If-Match must be an ETag returned by this API, such as "12".');
  return Number(m[1]);
}

export function idempotencyKeyOf(req: Request): string | undefined {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(raw))
    throw new HttpError(400, 'invalid-idempotency-key', 'Idempotency-Key must be 1-200 printable ASCII characters.');
  return raw;
}

export const etag = (version: number) => `"${version}"`;
