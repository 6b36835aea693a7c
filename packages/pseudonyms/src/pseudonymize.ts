import { createHmac } from 'node:crypto';

/**
 * The pseudonym of an identifier (a personal code, an e-mail) under a project key: 128 bits of HMAC-SHA256 in
 * base64url. Identifiers are trimmed and case-folded first, so "Anna@x.lv " and "anna@x.lv" count as one person.
 */
export function pseudonymize(key: Buffer, identifier: string): string {
  const normalised = identifier.normalize('NFC').trim().toLowerCase();
  return `p_${createHmac('sha256', key).update(normalised).digest().subarray(0, 16).toString('base64url')}`;
}
