/**
 * Where a value stops being plain JSON that every store keeps exactly: undefined, functions, NaN, class instances
 * (Date, Map), BigInt, cycles, NUL characters and lone surrogates (PostgreSQL's jsonb rejects both). Returns the
 * dotted path of the first offending part, or undefined when the value is fine.
 */
export function nonJsonPath(value: unknown, path = 'data', seen = new Set<object>()): string | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (typeof value === 'string') return value.includes('\u0000') || !value.isWellFormed() ? path : undefined;
  if (typeof value !== 'object') return path;
  if (seen.has(value)) return path;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const bad = nonJsonPath(value[i], `${path}.${i}`, seen);
        if (bad) return bad;
      }
      return undefined;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return path;
    for (const [key, v] of Object.entries(value)) {
      if (key.includes('\u0000') || !key.isWellFormed()) return `${path}.${key}`;
      const bad = nonJsonPath(v, `${path}.${key}`, seen);
      if (bad) return bad;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}
