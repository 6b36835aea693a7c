import { EventStoreError, StoreUnavailableError } from '@il/event-store';

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** Connection-level failures become StoreUnavailableError (503, retry later); everything else is passed on as is. */
export function asStoreError(error: unknown): unknown {
  if (error instanceof EventStoreError) return error;
  const e = error as { code?: string; message?: string };
  const code = e?.code ?? '';
  if (
    connectionCodes.has(code) ||
    code.startsWith('08') ||
    /Connection terminated|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end/i.test(
      e?.message ?? '',
    )
  ) {
    return new StoreUnavailableError(`event store unavailable: ${e?.message ?? code}`, error);
  }
  return error;
}
