import type { Subscription } from './eventStore.js';

/**
 * Waits for a subscription to end, stopping it when `signal` aborts — also when it aborted before this call, as it
 * does when a loop is stopped while it was still starting the subscription (the abort event has then fired with
 * nobody listening, and the subscription would otherwise run, and be waited for, forever).
 */
export async function stopOnAbort(sub: Subscription, signal: AbortSignal): Promise<void> {
  const stop = () => void sub.stop();
  signal.addEventListener('abort', stop, { once: true });
  if (signal.aborted) stop();
  try {
    await sub.done;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}
