import { dateOfDayNumber, dayNumberOf, parseDate } from '../calendar/calendarDate.js';
import { outputTypes, type OutputType } from '../events/outputKinds.js';
import { createHeldKeys } from './heldKeys.js';

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
  readonly keys: KeyIndex;
}

// One 32-bit integer per output: its type, partner and date, and whether it is retracted (29 bits), instead of an
// object of six fields. A partner beyond the table's 126th, or a date outside 1970-2149, is kept beside it.
const typeBits = 5;
const partnerBits = 7;
const dayBits = 16;
const typeMask = (1 << typeBits) - 1;
const partnerMask = (1 << partnerBits) - 1;
const dayMask = (1 << dayBits) - 1;
const retractedBit = 1 << (typeBits + partnerBits + dayBits);
if (outputTypes.length > typeMask) throw new Error('more output types than the output table packs');
const typeIndex = new Map(outputTypes.map((t, i) => [t, i]));

/** The packed day (dayNumberOf plus one; 0 for no date), or undefined when it does not fit or is not a date. */
function packDay(date: string): number | undefined {
  if (date === '') return 0;
  if (parseDate(date) === undefined) return undefined;
  const n = dayNumberOf(date) + 1;
  return n >= 1 && n < dayMask && dateOfDayNumber(n - 1) === date ? n : undefined;
}
const dayText = (n: number): string => (n === 0 ? '' : dateOfDayNumber(n - 1));

/** Unique key → the event id of the live output holding it. */
export interface KeyIndex {
  get(key: string): string | undefined;
  readonly size: number;
  entries(): IterableIterator<[string, string]>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const word = (id: string, a: number, b: number, c = b, d = b) => parseInt(id.slice(a, b) + id.slice(c, d), 16) >>> 0;
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/**
 * An empty table (see OutputSummary); summaries come back equal to what was set, field for field.
 *
 * Event ids are uuids: the table keeps each as 16 bytes in one typed array, found through an open-addressing index
 * (another typed array), and its packed summary in a third. So a cached project of a thousand outputs is a handful
 * of objects instead of thousands of strings and map entries: about 30 bytes per output instead of 176, and a full
 * garbage collection, which marks every live object, no longer walks every output of every cached project. Any id
 * that is not a lower-case uuid is kept in a plain map beside them. The unique keys are kept the same way (heldKeys).
 */
export function createOutputTable(): OutputTable {
  let ids = new Uint32Array(4 * 16);
  let summaries = new Int32Array(16);
  let slots = new Int32Array(32); // 1 + row of the id hashed there, 0 when free
  let rows = 0;
  const otherIds = new Map<string, number>();
  const otherIdOf = new Map<number, string>();
  // The unique keys held, by row (heldKeys: no heap object per key).
  const heldKeys = createHeldKeys();
  // Whatever the packing cannot hold, by row (rare: see above).
  const partnersBeside = new Map<number, string | undefined>();
  const datesBeside = new Map<number, string>();
  const partners: (string | undefined)[] = [undefined];
  const partnerIndex = new Map<string, number>();

  const idOf = (row: number): string => {
    const other = otherIdOf.get(row);
    if (other !== undefined) return other;
    const [a, b, c, d] = [ids[4 * row]!, ids[4 * row + 1]!, ids[4 * row + 2]!, ids[4 * row + 3]!].map(hex8);
    return `${a}-${b!.slice(0, 4)}-${b!.slice(4)}-${c!.slice(0, 4)}-${c!.slice(4)}${d}`;
  };

  /** The slot of a uuid's words: its row's, or the free one where it would go. */
  function slotOf(w: readonly number[]): number {
    const mask = slots.length - 1;
    for (let i = (w[0]! ^ w[3]!) & mask; ; i = (i + 1) & mask) {
      const r = slots[i]! - 1;
      if (r < 0) return i;
      if (ids[4 * r] === w[0] && ids[4 * r + 1] === w[1] && ids[4 * r + 2] === w[2] && ids[4 * r + 3] === w[3])
        return i;
    }
  }
  const wordsOf = (eventId: string) =>
    uuidPattern.test(eventId)
      ? [word(eventId, 0, 8), word(eventId, 9, 13, 14, 18), word(eventId, 19, 23, 24, 28), word(eventId, 28, 36)]
      : undefined;

  function rowOf(eventId: string): number | undefined {
    const w = wordsOf(eventId);
    if (!w) return otherIds.get(eventId);
    const r = slots[slotOf(w)]! - 1;
    return r < 0 ? undefined : r;
  }

  function addRow(eventId: string): number {
    const row = rows++;
    if (row === summaries.length) {
      const grownIds = new Uint32Array(ids.length * 2);
      grownIds.set(ids);
      ids = grownIds;
      const grown = new Int32Array(summaries.length * 2);
      grown.set(summaries);
      summaries = grown;
    }
    const w = wordsOf(eventId);
    if (!w) {
      otherIds.set(eventId, row);
      otherIdOf.set(row, eventId);
      return row;
    }
    ids.set(w, 4 * row);
    if (2 * rows > slots.length) {
      // Rehash into twice the slots: the index stays at most half full, so probes stay short.
      slots = new Int32Array(slots.length * 2);
      for (let r = 0; r < rows; r++)
        if (!otherIdOf.has(r)) slots[slotOf([ids[4 * r]!, ids[4 * r + 1]!, ids[4 * r + 2]!, ids[4 * r + 3]!])] = r + 1;
    } else slots[slotOf(w)] = row + 1;
    return row;
  }

  function partnerNumber(partner: string | undefined): number | undefined {
    if (partner === undefined) return 0;
    const known = partnerIndex.get(partner);
    if (known !== undefined) return known;
    if (partners.length >= partnerMask) return undefined;
    partnerIndex.set(partner, partners.length);
    partners.push(partner);
    return partners.length - 1;
  }

  function decode(row: number, key: string | undefined): OutputSummary {
    const v = summaries[row]!;
    const partner = (v >>> typeBits) & partnerMask;
    const day = (v >>> (typeBits + partnerBits)) & dayMask;
    return {
      eventId: idOf(row),
      type: outputTypes[v & typeMask]!,
      partner: partner === partnerMask && partnersBeside.has(row) ? partnersBeside.get(row) : partners[partner],
      key,
      date: day === dayMask && datesBeside.has(row) ? datesBeside.get(row)! : dayText(day),
      retracted: (v & retractedBit) !== 0,
    };
  }

  const keys: KeyIndex = {
    get: (key) => {
      const row = heldKeys.rowOf(key);
      return row === undefined ? undefined : idOf(row);
    },
    get size() {
      return heldKeys.size;
    },
    *entries() {
      for (const [key, row] of heldKeys.entries()) yield [key, idOf(row)];
    },
  };

  return {
    get(eventId) {
      const row = rowOf(eventId);
      return row === undefined ? undefined : decode(row, heldKeys.keyOf(row));
    },
    *values() {
      for (let row = 0; row < rows; row++) yield decode(row, heldKeys.keyOf(row));
    },
    get size() {
      return rows;
    },
    keys,
    set(o) {
      const known = rowOf(o.eventId);
      const row = known ?? addRow(o.eventId);
      let partner = partnerNumber(o.partner);
      partnersBeside.delete(row);
      if (partner === undefined) {
        partner = partnerMask;
        partnersBeside.set(row, o.partner);
      }
      let day = packDay(o.date);
      datesBeside.delete(row);
      if (day === undefined) {
        day = dayMask;
        datesBeside.set(row, o.date);
      }
      heldKeys.hold(row, o.retracted ? undefined : o.key);
      summaries[row] =
        typeIndex.get(o.type)! |
        (partner << typeBits) |
        (day << (typeBits + partnerBits)) |
        (o.retracted ? retractedBit : 0);
    },
  };
}
