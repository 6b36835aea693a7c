import { z } from 'zod';

/** Integer euro cents. Money is never a float in this system. */
export type Cents = number;

export const centsSchema = z
  .number({ message: 'must be an amount in integer euro cents' })
  .int({ message: 'must be whole cents (an integer); fractional cents are not accepted' })
  .nonnegative()
  .refine(Number.isSafeInteger, { message: 'amount is too large to be exact' });

const decimalEuro = /^(\d{1,14})(?:[.,](\d{1,2}))?$/;

/**
 * Parses a euro amount written as text ("791256.20", "791 256,20") into cents without float arithmetic.
 * Numbers are accepted only when their decimal text has at most two decimals, so 0.1 + 0.2 style values are
 * rejected instead of silently rounded.
 */
export function eurosToCents(value: string | number): Cents {
  const text = typeof value === 'number' ? numberText(value) : value.replace(/[\s\u00a0]/g, '');
  const m = decimalEuro.exec(text);
  if (!m) throw new RangeError(`not an exact euro amount with at most two decimals: ${String(value)}`);
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount too large: ${String(value)}`);
  return cents;
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite amount: ${value}`);
  return String(value);
}

/** `79125620` → `"791256.20"` (no thousands separator; callers localise). */
export function formatCents(cents: Cents): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not integer cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Exact share in basis points (1/100 of a percent), rounded half up; the ERDF rate of 85 % is 8500. */
export function shareBasisPoints(part: Cents, whole: Cents): number {
  if (whole === 0) return 0;
  // BigInt because cents × 20,000 leaves the exact float range for budgets over ~4.5 billion euro.
  return Number((BigInt(part) * 20000n + BigInt(whole)) / (2n * BigInt(whole)));
}
