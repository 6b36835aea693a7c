/** SQL condition for contributions valid at `$n` (a timestamptz, or null for "now"). */
export const validAt = (param: string) =>
  `(${param}::timestamptz is null and c.valid_to is null or c.valid_from <= ${param} and (c.valid_to is null or c.valid_to > ${param}))`;
