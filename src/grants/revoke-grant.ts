import type { AdapterFactory } from 'oidc-provider';
import { GRANTABLE_MODELS } from '../storage/redis-keys.js';

/** Revokes a grant and every code and token issued under it, outside any OAuth request. */
export async function revokeGrant(adapterFactory: AdapterFactory, grantId: string): Promise<void> {
  for (const model of GRANTABLE_MODELS) await adapterFactory(model).revokeByGrantId(grantId);
  await adapterFactory('Grant').destroy(grantId);
}
