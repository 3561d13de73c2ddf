import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { Logger } from 'pino';
import type { GrantIndex } from './grant-index.js';

/**
 * "Last used" is shown to the minute: a grant's use is written at most once a minute per instance.
 * Keyed by the grant, so a new grant (the partner connected again after 連携解除) is written at once.
 */
const TOUCH_INTERVAL_MS = 60_000;
const MAX_TRACKED = 50_000;

/** "Last used" on the 連携サービス管理 page: the last time the partner obtained tokens. */
export function trackGrantUse(provider: Provider, grants: GrantIndex, logger: Logger, now: () => number = Date.now): void {
  const lastWritten = new Map<string, number>();
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.account?.accountId;
    const clientId = ctx.oidc.client?.clientId;
    if (!accountId || !clientId) return;
    const at = now();
    const { Grant: grant, AccessToken: accessToken } = ctx.oidc.entities;
    const key = JSON.stringify([accountId, clientId, grant?.jti ?? accessToken?.grantId]);
    if (at - (lastWritten.get(key) ?? -Infinity) < TOUCH_INTERVAL_MS) return;
    if (lastWritten.size >= MAX_TRACKED) lastWritten.clear();
    lastWritten.set(key, at);
    grants.touch(accountId, clientId, at).catch((error: unknown) => {
      logger.warn({ event: 'grant.touch_failed', err: { message: (error as Error).message } }, 'could not record grant use');
    });
  });
}
