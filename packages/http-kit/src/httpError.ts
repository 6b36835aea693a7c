import type { FieldError } from './problem.js';

/** An error raised by an HTTP handler itself (bad query string, missing header), mapped like domain errors. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly problemType: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
