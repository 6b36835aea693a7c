import { ConcurrencyError } from './errors.js';
import type { ExpectedVersion } from './eventStore.js';

/** Shared by every adapter that checks versions itself, so all agree on the rules. `current` is 0 for no stream. */
export function checkExpectedVersion(streamId: string, expected: ExpectedVersion, current: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && current === 0) ||
    (expected === 'exists' && current > 0) ||
    (typeof expected === 'number' && expected === current);
  if (!ok) throw new ConcurrencyError(streamId, expected, current);
}
