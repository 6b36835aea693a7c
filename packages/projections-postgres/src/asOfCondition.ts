/**
 * SQL condition for rows (alias `c`) valid at `$n`, a timestamptz or null for "now". Written out for the case at
 * hand, so that a live question reads through the partial indexes of live rows (`valid_to is null`) and an as-of
 * question through the indexes of every version: one condition with an OR for both, in a prepared statement, got
 * one generic plan for both, and live questions then scanned every live cell of the programme.
 */
export const validAt = (param: string, asOf: Date | undefined | null) =>
  asOf
    ? `(c.valid_from <= ${param}::timestamptz and (c.valid_to is null or c.valid_to > ${param}::timestamptz))`
    : `(${param}::timestamptz is null and c.valid_to is null)`;
