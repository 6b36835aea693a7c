import type { z } from 'zod';

import type { FieldIssue } from '@il/problems';

export type { FieldIssue };

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
