import { z } from 'zod';
import { slugSchema, textSchema } from '../events/fields.js';
import { contributingEventSchemas } from './contributingEvents.js';
import { fieldKind } from './fieldKind.js';

const pathSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/, { message: 'must be a dotted field path' });

/**
 * A rule maps one event type to a contribution: `value` is a field path (`participants.crossBorder`) or a
 * constant; `distinctKey` is the field whose values are counted once (count-distinct indicators).
 */
export const ruleSchema = z.strictObject({
  event: z.string(),
  value: z.union([pathSchema, z.number().nonnegative().finite()]).optional(),
  distinctKey: pathSchema.optional(),
});

export const aggregationSchema = z.enum(['sum', 'count', 'count-distinct', 'max', 'latest']);

export const indicatorSchema = z
  .strictObject({
    code: slugSchema,
    name: textSchema,
    /** `EUR` values are integer cents, like all money here. */
    unit: textSchema,
    kind: z.enum(['output', 'result']),
    aggregation: aggregationSchema,
    rules: z.array(ruleSchema).max(50).default([]),
  })
  .superRefine((indicator, ctx) => {
    indicator.rules.forEach((rule, i) => {
      const at = (field: string) => ['rules', i, field];
      const schema = contributingEventSchemas[rule.event];
      if (!schema || !Object.hasOwn(contributingEventSchemas, rule.event)) {
        ctx.addIssue({ code: 'custom', path: at('event'), message: `${rule.event} does not contribute to indicators` });
        return;
      }
      if (indicator.aggregation === 'count-distinct') {
        if (!rule.distinctKey)
          ctx.addIssue({ code: 'custom', path: at('distinctKey'), message: 'is required for count-distinct' });
        else if (!['string', 'number'].includes(fieldKind(schema, rule.distinctKey) ?? '')) {
          ctx.addIssue({
            code: 'custom',
            path: at('distinctKey'),
            message: `${rule.event} has no field ${rule.distinctKey}`,
          });
        }
      } else if (rule.distinctKey) {
        ctx.addIssue({
          code: 'custom',
          path: at('distinctKey'),
          message: 'only count-distinct indicators have a distinct key',
        });
      }
      const needsValue =
        indicator.aggregation === 'sum' || indicator.aggregation === 'max' || indicator.aggregation === 'latest';
      if (needsValue && rule.value === undefined)
        ctx.addIssue({ code: 'custom', path: at('value'), message: `is required for ${indicator.aggregation}` });
      if (typeof rule.value === 'string' && fieldKind(schema, rule.value) !== 'number') {
        ctx.addIssue({
          code: 'custom',
          path: at('value'),
          message: `${rule.event} has no numeric field ${rule.value}`,
        });
      }
    });
  });

export const catalogueSchema = z
  .strictObject({
    id: slugSchema,
    name: textSchema,
    indicators: z.array(indicatorSchema).min(1).max(500),
  })
  .superRefine((catalogue, ctx) => {
    const seen = new Set<string>();
    catalogue.indicators.forEach((indicator, i) => {
      if (seen.has(indicator.code))
        ctx.addIssue({
          code: 'custom',
          path: ['indicators', i, 'code'],
          message: `duplicate indicator code ${indicator.code}`,
        });
      seen.add(indicator.code);
    });
  });

export type Rule = z.output<typeof ruleSchema>;
export type Aggregation = z.output<typeof aggregationSchema>;
export type Indicator = z.output<typeof indicatorSchema>;
export type Catalogue = z.output<typeof catalogueSchema>;
