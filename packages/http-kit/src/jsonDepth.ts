/**
 * How deeply a JSON text nests arrays and objects, without parsing it: a scan that skips strings. JSON.parse
 * itself copes with deep nesting, but everything after it that walks the value recursively (JSON.stringify of
 * the request hash, zod, String() of a nested array) overflows the stack somewhere past a few thousand levels.
 * Stops counting once `limit` is passed.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
