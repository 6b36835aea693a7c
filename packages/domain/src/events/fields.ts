import { z } from 'zod';
import { calendarDateSchema, compareDates } from '../calendar/calendarDate.js';

/**
 * Names every JavaScript object answers to (`constructor`, `toString`, `valueOf`, …). The product keys its lookups
 * with Maps, but an identifier is also a JSON key in answers, documents and other systems' code: refused at the edge.
 */
// A format rule (400), not a refinement: refinements are read as rules between valid fields (422).
const notAPrototypeName = new RegExp(
  `^(?!(?:${Object.getOwnPropertyNames(Object.prototype)
    .map((n) => n.replace(/[$_]/g, '\\$&'))
    .join('|')})$)`,
);

/** Identifiers chosen by people (LLI-317, PP2, camp-2018-zemgale): short, printable, no spaces. */
export const slugSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, {
    message: 'must be 1-64 characters: letters, digits, . _ : - (starting with a letter or digit)',
  })
  .regex(notAPrototypeName, { message: 'is a reserved name (a property of every JavaScript object)' });

/**
 * Free text. Bidirectional control characters are refused: they make a text display in another order than it is
 * stored (a location that reads as one place and is another), and the log keeps what it is given for ever.
 */
export const textSchema = z
  .string()
  .trim()
  // A pattern, not min(1): the published JSON Schema carries it, so "   " is invalid there as it is here.
  .regex(/\S/, { message: 'must not be empty' })
  .max(500)
  .regex(/^[^\u202A-\u202E\u2066-\u2069]*$/, {
    message: 'must not contain bidirectional control characters (U+202A-U+202E, U+2066-U+2069)',
  });

/** Participant and session counts: whole, non-negative, far below float trouble. */
export const countSchema = z.number().int().nonnegative().max(100_000_000);

export const dateSchema = calendarDateSchema;

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
/** True for an instant with an offset (`2020-11-30T22:30:00Z`), false for a calendar date. */
export const isInstant = (value: string): boolean => instantPattern.test(value);

/**
 * When something happened at a moment (a public event, a training, a camp's start and end): a calendar date, or an
 * instant with an offset, which decide turns into the date in the programme's time zone before the event is
 * stored. Stored events always carry the date. An instant without an offset is refused: it names no moment.
 */
export const momentSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/, {
    message: 'must be a date YYYY-MM-DD or an instant with an offset, such as 2019-11-30T22:30:00Z',
  })
  .refine((v) => (isInstant(v) ? !Number.isNaN(Date.parse(v)) : calendarDateSchema.safeParse(v).success), {
    message: 'must be a real date or instant',
    params: { format: 'date-time' },
  });

export const countrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code such as LV or LT' });

/** NUTS 3 codes: country prefix + 3 characters (LV009 Zemgale, LT029 Panevėžys county). */
export const nuts3Schema = z
  .string()
  .regex(/^[A-Z]{2}[0-9A-Z]{3}$/, { message: 'must be a NUTS 3 code such as LV009' });

export const uuidSchema = z.string().uuid();

/** Adds a `must not be before startDate` issue on `endDate`; used by every event with a date range. */
export function endNotBeforeStart(value: { startDate: string; endDate: string }, ctx: z.RefinementCtx): void {
  // Instants are compared once decide has dated them in the programme's time zone (it validates again).
  if (isInstant(value.startDate) || isInstant(value.endDate)) return;
  if (compareDates(value.endDate, value.startDate) < 0) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before startDate' });
  }
}

/** A value as text: strings as they are, numbers and booleans in their usual form, anything else as JSON. */
export function textOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return JSON.stringify(value) ?? '';
  }
}
