import type { z } from 'zod';
import { HttpError } from './httpError.js';

/** Parses request input with a zod schema; every bad field is listed in the 400 problem. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what = 'request'): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new HttpError(
    400,
    'validation-failed',
    `invalid ${what}`,
    r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}
