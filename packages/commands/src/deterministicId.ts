import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, name-based) derived from the idempotency scope: the same request retried gets the same event
 * ids, so the store recognises it. Different actors, streams or routes never collide.
 */
export function deterministicEventId(parts: readonly string[], index: number): string {
  const h = createHash('sha256')
    .update([...parts, String(index)].join('\u001f'))
    .digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body) ?? '')
    .digest('hex')
    .slice(0, 32);
}
