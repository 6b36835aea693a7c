/** One bad field of a request: a dotted path (`participants.crossBorder`, empty for the whole body) and why. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** RFC 9457 problem details as the API sends them (`type` as a slug; http-kit publishes it as a URI). */
export interface Problem {
  /** Stable slug, published as `https://indicator-ledger.dev/problems/<slug>`; clients branch on it. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export const titleOf = (status: number): string => titles[status] ?? 'Error';

/**
 * The one error family of the product: the domain's rule violations, the event store's conflicts and the HTTP
 * layer's refusals all carry a stable problem slug, a status, the bad fields and any extension members
 * (`currentVersion` of a conflict), and become problem+json in exactly one place (toProblem). Nothing else of an
 * error reaches a client.
 */
export class ProblemError extends Error {
  constructor(
    /** The stable slug (`rule-violation`). */
    readonly problemType: string,
    readonly status: number,
    message: string,
    readonly errors: FieldIssue[] = [],
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  toProblem(): Problem {
    return {
      ...this.extensions,
      type: this.problemType,
      title: titleOf(this.status),
      status: this.status,
      detail: this.message,
      ...(this.errors.length ? { errors: this.errors } : {}),
    };
  }
}
