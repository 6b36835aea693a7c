import { outputTypes, type OutputType } from '../events/outputKinds.js';

/**
 * What decisions need of a recorded output. The payload is not kept: a write process caches the state of every
 * project it writes to, and the payloads of a long project's outputs made most of that memory (1.4 GB for 1,000
 * projects of 1,000 events). Reads that show payloads fold the stream with `recordedOutputs`.
 */
export interface OutputSummary {
  eventId: string;
  type: OutputType;
  /** The partner of its current payload (who may correct or retract it). */
  partner: string | undefined;
  /** The unique key (see outputKeys) its current payload holds, if its type has one; none once retracted. */
  key: string | undefined;
  /** The occurrence date of its current payload: it decides the period, and so the reports it touches. */
  date: string;
  retracted: boolean;
}

/** A project's outputs by the id of the event that recorded them (read-only: the fold owns the table). */
export interface OutputIndex {
  get(eventId: string): OutputSummary | undefined;
  values(): IterableIterator<OutputSummary>;
  readonly size: number;
}

export interface OutputTable extends OutputIndex {
  /** Records an output or its new state; the unique keys follow (a retracted output holds none). */
  set(summary: OutputSummary): void;
  /** Unique key → the event id of the live output holding it. */
  readonly keys: ReadonlyMap<string, string>;
}

// One small integer per output: its type, partner and date, and whether it is retracted, in a V8 small integer
// (31 bits), so the table holds one map entry per output instead of an object of six fields (224 → ~140 bytes per
// output of a cached project). A partner beyond the table's 127th, or a date outside 1970-2149, is kept beside it.
const typeBits = 5;
const partnerBits = 7;
const dayBits = 16;
const typeMask = (1 << typeBits) - 1;
const partnerMask = (1 << partnerBits) - 1;
const dayMask = (1 << dayBits) - 1;
const retractedBit = 1 << (typeBits + partnerBits + dayBits);
if (outputTypes.length > typeMask) throw new Error('more output types than the output table packs');
const typeIndex = new Map(outputTypes.map((t, i) => [t, i]));

const dayMs = 86_400_000;
const dayTexts = new Map<number, string>();
/** The packed day (days since 1970-01-01, plus one; 0 for no date), or undefined when it does not fit. */
function packDay(date: string): number | undefined {
  if (date === '') return 0;
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const n = Math.round(ms / dayMs) + 1;
  return n >= 1 && n < dayMask && dayText(n) === date ? n : undefined;
}
function dayText(n: number): string {
  if (n === 0) return '';
  let text = dayTexts.get(n);
  if (text === undefined) {
    text = new Date((n - 1) * dayMs).toISOString().slice(0, 10);
    dayTexts.set(n, text);
  }
  return text;
}

/** An empty table (see OutputSummary); summaries come back equal to what was set, field for field. */
export function createOutputTable(): OutputTable {
  const packed = new Map<string, number>();
  // Held keys by key only: an output's own key is looked up from it (corrections and retractions, which are rare),
  // which saved a second map of every keyed output.
  const keys = new Map<string, string>();
  const keyHeldBy = (eventId: string): string | undefined => {
    for (const [key, holder] of keys) if (holder === eventId) return key;
    return undefined;
  };
  // Whatever the packing cannot hold, by event id (rare: see above).
  const partnersBeside = new Map<string, string | undefined>();
  const datesBeside = new Map<string, string>();
  const partners: (string | undefined)[] = [undefined];
  const partnerIndex = new Map<string, number>();

  function partnerNumber(partner: string | undefined): number | undefined {
    if (partner === undefined) return 0;
    const known = partnerIndex.get(partner);
    if (known !== undefined) return known;
    if (partners.length >= partnerMask) return undefined;
    partnerIndex.set(partner, partners.length);
    partners.push(partner);
    return partners.length - 1;
  }

  function decode(eventId: string, v: number, key: string | undefined): OutputSummary {
    const partner = (v >>> typeBits) & partnerMask;
    const day = (v >>> (typeBits + partnerBits)) & dayMask;
    return {
      eventId,
      type: outputTypes[v & typeMask]!,
      partner: partner === partnerMask && partnersBeside.has(eventId) ? partnersBeside.get(eventId) : partners[partner],
      key,
      date: day === dayMask && datesBeside.has(eventId) ? datesBeside.get(eventId)! : dayText(day),
      retracted: (v & retractedBit) !== 0,
    };
  }

  return {
    get(eventId) {
      const v = packed.get(eventId);
      return v === undefined ? undefined : decode(eventId, v, keyHeldBy(eventId));
    },
    *values() {
      const keyOf = new Map([...keys].map(([key, holder]) => [holder, key]));
      for (const [eventId, v] of packed) yield decode(eventId, v, keyOf.get(eventId));
    },
    keys,
    get size() {
      return packed.size;
    },
    set(o) {
      let partner = partnerNumber(o.partner);
      partnersBeside.delete(o.eventId);
      if (partner === undefined) {
        partner = partnerMask;
        partnersBeside.set(o.eventId, o.partner);
      }
      let day = packDay(o.date);
      datesBeside.delete(o.eventId);
      if (day === undefined) {
        day = dayMask;
        datesBeside.set(o.eventId, o.date);
      }
      const held = packed.has(o.eventId) ? keyHeldBy(o.eventId) : undefined;
      const holds = o.retracted ? undefined : o.key;
      if (held !== undefined && held !== holds) keys.delete(held);
      if (holds !== undefined) keys.set(holds, o.eventId);
      packed.set(
        o.eventId,
        typeIndex.get(o.type)! |
          (partner << typeBits) |
          (day << (typeBits + partnerBits)) |
          (o.retracted ? retractedBit : 0),
      );
    },
  };
}
