/**
 * Delay before retry number `attempt` (0-based) after a failure: exponential from `initialMs`, capped at `maxMs`,
 * with "full jitter" (a random share of it) so many relays do not retry in step after a broker outage.
 */
export function backoffDelay(
  attempt: number,
  options: { initialMs?: number; maxMs?: number; random?: () => number } = {},
): number {
  const initial = options.initialMs ?? 100;
  const max = options.maxMs ?? 30_000;
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (options.random ?? Math.random)());
}
