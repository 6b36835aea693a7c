/**
 * The sum of decimal numbers as a person adds them: 0.1 + 0.2 is 0.3. Figures are added in different orders by
 * different engines (per day here, per period in SQL's numeric), and binary floating point would make the same
 * figure differ in its last digit between them. Numbers JavaScript writes with an exponent are added as floats.
 */
export function exactSum(values: Iterable<number>): number {
  // Whole numbers (counts, cents: nearly every figure) add exactly as they are while the total stays safe.
  const list = Array.isArray(values) ? (values as readonly number[]) : [...values];
  let whole = 0;
  for (const v of list) {
    whole += v;
    if (!Number.isInteger(v) || !Number.isSafeInteger(whole)) return decimalSum(list);
  }
  return whole;
}

/**
 * exactSum of values added one at a time, for totals kept while rows stream past (a rebuild's group months, a
 * question's window stats): whole values are added at once while the total stays safe, the others kept for one
 * exact sum at the end, so no array of every value is held. Its value is exactSum of everything added.
 */
export function exactTotal() {
  let whole = 0;
  const others: number[] = [];
  return {
    add(v: number): void {
      if (Number.isInteger(v) && Number.isSafeInteger(whole + v)) whole += v;
      else others.push(v);
    },
    get value(): number {
      return others.length === 0 ? whole : exactSum([whole, ...others]);
    },
  };
}

function decimalSum(values: readonly number[]): number {
  let scale = 0;
  const parts: [string, string][] = [];
  let float = 0;
  let anyExponent = false;
  for (const v of values) {
    const text = String(v);
    if (/e/i.test(text)) {
      anyExponent = true;
      float += v;
      continue;
    }
    const [whole, fraction = ''] = text.split('.') as [string, string?];
    if (fraction.length > scale) scale = fraction.length;
    parts.push([whole, fraction]);
  }
  let total = 0n;
  for (const [whole, fraction] of parts) {
    const negative = whole.startsWith('-');
    const digits = BigInt((negative ? whole.slice(1) : whole) + fraction.padEnd(scale, '0'));
    total += negative ? -digits : digits;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  const exact = Number(negative ? `-${text}` : text);
  return anyExponent ? exact + float : exact;
}
