import type { z } from 'zod';

export interface FieldIssue {
  /** Dotted path of the bad field (`participants.crossBorder`), empty for the whole body. */
  path: string;
  message: string;
}

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
