import { ProblemError, type FieldIssue } from '@il/problems';

/**
 * Typed domain errors, of the product's one error family (ProblemError): a stable problem slug and a status,
 * mapped once to problem+json by http-kit; the domain itself knows nothing of HTTP beyond the number.
 */
export class DomainError extends ProblemError {
  constructor(message: string, problemType: string, status: number, errors: FieldIssue[] = []) {
    super(problemType, status, message, errors);
  }
}

/** The payload does not match the schema. */
export class InvalidEventError extends DomainError {
  constructor(message: string, errors: FieldIssue[]) {
    super(message, 'validation-failed', 400, errors);
  }
}

/** Well-formed, but not acceptable in the current state (output outside project dates, crossBorder > total). */
export class RuleViolationError extends DomainError {
  constructor(message: string, errors: FieldIssue[] = []) {
    super(message, 'rule-violation', 422, errors);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(message, 'not-found', 404);
  }
}

/** The thing already exists (a campId used twice, a project registered twice). */
export class AlreadyExistsError extends DomainError {
  constructor(message: string) {
    super(message, 'already-exists', 409);
  }
}

/**
 * The output lies in a period whose partner or project report is submitted and under review: its numbers are
 * being checked as submitted. Reopening the report opens them; once certified or verified, a change is accepted and
 * carried by the next report.
 */
export class ReportUnderReviewError extends DomainError {
  constructor(message: string) {
    super(message, 'report-under-review', 409);
  }
}
