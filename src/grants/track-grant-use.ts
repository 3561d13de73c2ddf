import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { Logger } from 'pino';
import type { GrantIndex } from './grant-index.js';

/** "Last used" on the 連携サービス管理 page: the last time the partner obtained tokens. */
export function trackGrantUse(provider: Provider, grants: GrantIndex, logger: Logger): void {
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.account?.accountId;
    const clientId = ctx.oidc.client?.clientId;
    if (!accountId || !clientId) return;
    grants.touch(accountId, clientId, Date.now()).catch((error: unknown) => {
      logger.warn({ event: 'grant.touch_failed', err: { message: (error as Error).message } }, 'could not record grant use');
    });
  });
}
