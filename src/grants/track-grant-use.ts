import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { Logger } from 'pino';
import type { GrantIndex } from './grant-index.js';

/**
 * "Last used" is shown to the minute: a refresh is written at most once a minute per customer and
 * partner on an instance. A code exchange, the first use of an authorization, is written always: the
 * partner may have connected again after 連携解除, which removed the last use written before.
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
    const key = JSON.stringify([accountId, clientId]);
    const firstUse = ctx.oidc.params?.grant_type === 'authorization_code';
    if (!firstUse && at - (lastWritten.get(key) ?? -Infinity) < TOUCH_INTERVAL_MS) return;
    if (lastWritten.size >= MAX_TRACKED) lastWritten.clear();
    lastWritten.set(key, at);
    grants.touch(accountId, clientId, at).catch((error: unknown) => {
      logger.warn({ event: 'grant.touch_failed', err: { message: (error as Error).message } }, 'could not record grant use');
    });
  });
}
