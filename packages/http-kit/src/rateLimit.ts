import type { RequestHandler } from 'express';
import { actorOf } from './actor.js';
import { HttpError } from './httpError.js';

/**
 * Per-token limit on writes: a token bucket of `perMinute` requests refilled continuously. In memory, per process;
 * a scaled-out deployment divides the limit by its instances or puts a shared limiter in front.
 */
export function writeRateLimit(perMinute: number, now: () => number = Date.now): RequestHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const rate = perMinute / 60_000;
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || perMinute <= 0) return next();
    const key = actorOf(res).id;
    const t = now();
    const b = buckets.get(key) ?? { tokens: perMinute, at: t };
    b.tokens = Math.min(perMinute, b.tokens + (t - b.at) * rate);
    b.at = t;
    buckets.set(key, b);
    if (buckets.size > 100_000) buckets.delete(buckets.keys().next().value as string);
    if (b.tokens < 1) {
      res.set('Retry-After', String(Math.ceil((1 - b.tokens) / rate / 1000)));
      return next(new HttpError(429, 'rate-limited', `At most ${perMinute} writes per minute per token.`));
    }
    b.tokens -= 1;
    next();
  };
}
