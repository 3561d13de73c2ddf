import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { Logger } from 'pino';
import type { GrantIndex } from '../grants/grant-index.js';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { redisKeys } from '../storage/redis-keys.js';
import type { CustomerDirectory } from '../accounts/customer-directory.js';
import type { Audit } from '../shared/audit.js';
import type { PartnerEvents } from './partner-events.js';

/** Why oidc-provider itself ended a grant, by the request that did it. */
function reasonOf(ctx: KoaContextWithOIDC): string {
  const route = ctx.oidc?.route;
  if (route === 'token') return ctx.oidc.params?.grant_type === 'refresh_token' ? 'refresh_token_replay' : 'code_replay';
  if (route === 'revocation') return 'token_revoked';
  if (route === 'end_session') return 'logout';
  return 'policy';
}

interface SavedGrant {
  jti: string;
  accountId?: string;
  clientId?: string;
  exp?: number;
}

/**
 * Grants that oidc-provider ends by itself (a replayed code or refresh token, the partner's own
 * revocation) reach the partner as session-revoked; every saved grant's expiry is tracked for the
 * sweep. oidc-provider has already revoked the grant when it says so: the event follows it.
 */
export interface GrantLifecycleDeps {
  readonly events: PartnerEvents;
  readonly grants: GrantIndex;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly audit: Audit;
  readonly customers: Pick<CustomerDirectory, 'loginIdOf'>;
}

export function watchGrantLifecycle(provider: Provider, deps: GrantLifecycleDeps): void {
  const failed = (what: string) => (error: unknown) => {
    deps.logger.error({ event: 'event.queue_failed', what, err: { message: (error as Error).message } }, 'could not queue the partner event');
  };
  (provider as unknown as NodeJS.EventEmitter).on('grant.saved', (grant: SavedGrant) => {
    if (!grant.accountId || !grant.clientId || typeof grant.exp !== 'number') return;
    deps.events.trackGrant({ grantId: grant.jti, clientId: grant.clientId, sub: grant.accountId }, grant.exp * 1000).catch(failed('grant expiry'));
  });
  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    const clientId = ctx.oidc?.client?.clientId;
    if (!clientId) return;
    // read now: the request's context is emptied once its response has closed (releasing-callback.ts)
    const reason = reasonOf(ctx);
    const { ip } = ctx;
    void (async () => {
      const sub = await deps.kv.hashGet(redisKeys.clientGrants(clientId), grantId);
      if (!sub) return;
      await deps.events.sessionRevoked(sub, { clientId, grantId }, reason);
      const summary = await deps.grants.find(sub, clientId);
      if (summary?.grantId === grantId) await deps.grants.remove(sub, { clientId, grantId });
      deps.audit('grant.revoked', { sub, login_id: await deps.customers.loginIdOf(sub), client_id: clientId, grant_id: grantId, reason, ip });
    })().catch(failed('session-revoked'));
  });
}
