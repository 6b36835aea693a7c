/**
 * A place in the global order of all events: `"<commit>:<prepare>"`, two unsigned 64-bit integers compared in
 * that order. PostgreSQL uses (transaction id, sequence number), KurrentDB its (commit, prepare) log positions.
 * Callers treat it as opaque except for comparing and checkpointing it.
 */
export type Position = string;

export const startPosition: Position = '0:0';

const pattern = /^(\d{1,20}):(\d{1,20})$/;

export function isPosition(value: unknown): value is Position {
  return typeof value === 'string' && pattern.test(value);
}

export function parsePosition(position: Position): [bigint, bigint] {
  const m = pattern.exec(position);
  if (!m) throw new RangeError(`not an event-store position: ${position}`);
  return [BigInt(m[1]!), BigInt(m[2]!)];
}

export function formatPosition(commit: bigint | number | string, prepare: bigint | number | string): Position {
  return `${BigInt(commit)}:${BigInt(prepare)}`;
}

export function comparePositions(a: Position, b: Position): number {
  const [a1, a2] = parsePosition(a);
  const [b1, b2] = parsePosition(b);
  if (a1 !== b1) return a1 < b1 ? -1 : 1;
  return a2 === b2 ? 0 : a2 < b2 ? -1 : 1;
}
