import { signToken } from '@il/http-kit';

/** The secret every in-process e2e system is started with, and tokens for it. */
export const testSecret = 'e2e-secret-0123456789abcdef0123456789abcdef';

export type Claims = Parameters<typeof signToken>[1];

export async function bearer(
  claims: Claims = { sub: 'e2e-admin', roles: ['admin'] },
  options: { audience?: string; expiresIn?: string } = {},
): Promise<string> {
  return `Bearer ${await signToken(testSecret, claims, { audience: options.audience ?? 'indicator-ledger', ...(options.expiresIn ? { expiresIn: options.expiresIn } : {}) })}`;
}
