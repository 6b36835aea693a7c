import { ProblemError, type FieldIssue } from '@il/problems';

/** An error raised by an HTTP handler itself (bad query string, missing header), of the one error family. */
export class HttpError extends ProblemError {
  constructor(
    status: number,
    problemType: string,
    message: string,
    errors: FieldIssue[] = [],
    extensions: Record<string, unknown> = {},
  ) {
    super(problemType, status, message, errors, extensions);
  }
}
