/**
 * Waits `ms`, or less if `signal` aborts meanwhile (at once if it already has) or, when `wakers` is given, once
 * any function in it is called (the notifier's "new events" wake-ups); leaves no listener or waker behind.
 */
export function pause(ms: number, signal: AbortSignal, wakers?: Set<() => void>): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      wakers?.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    wakers?.add(done);
  });
}
