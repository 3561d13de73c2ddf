import type { KoaContextWithOIDC } from 'oidc-provider';

/**
 * Grant ids are identifiers, not credentials (every use of one is checked against the client and
 * customer it belongs to), so 128 random bits (22 characters) do: a grant's id is part of the name
 * of every Redis key of that grant and is repeated in its pointers, the customer's and the
 * partner's grant lists and the session. Codes, tokens, sessions and interactions are bearer
 * values and keep oidc-provider's 256 bits.
 */
const GRANT_ID_BITS = 128;
const BEARER_BITS = 256;

/** oidc-provider's `formats.bitsOfOpaqueRandomness`. */
export const opaqueIdBits = (_ctx: KoaContextWithOIDC, model: { readonly kind: string }): number => (model.kind === 'Grant' ? GRANT_ID_BITS : BEARER_BITS);
