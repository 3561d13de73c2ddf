import Router from '@koa/router';
import type { Context } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { AppContext } from '../../services.js';
import { revokeCustomerGrant } from '../revoke-customer-grant.js';
import { grantQueryResponse } from './grant-query.js';
import { usesGrantManagement } from './grant-management-params.js';
import { EndpointRefusal, requireAccessToken, type TokenCheckDependencies } from './grant-management-token.js';

export const GRANT_MANAGEMENT_PATH = '/grant-management';

type Scope = 'grant_management_query' | 'grant_management_revoke';
type Grant = InstanceType<AppContext['provider']['Grant']>;

/** RFC 6750 §3: the refusal in WWW-Authenticate (with the issuer as realm, as at userinfo) and in the body; never cached. */
function answerRefusal(ctx: Context, refusal: EndpointRefusal, realm: string): void {
  ctx.status = refusal.status;
  if (refusal.status === 401 || refusal.status === 403) {
    const error = refusal.challengeOnly ? '' : `, error="${refusal.error}", error_description="${refusal.description.replaceAll('"', "'")}"`;
    ctx.set('WWW-Authenticate', `${refusal.scheme} realm="${realm}"${error}`);
  }
  ctx.body = { error: refusal.error, error_description: refusal.description };
}

/**
 * The grant management endpoint (Grant Management for OAuth 2.0 §6): `GET` answers what the grant
 * allows, `DELETE` revokes it and every token under it (through revokeCustomerGrant, so the
 * customer's list and the partner's events follow). Each call needs an access token of the client
 * that holds the grant, carrying the action's scope.
 */
export function grantManagementRoutes(app: AppContext, certificate: TokenCheckDependencies['certificate']): Router {
  const router = new Router();
  const origin = new URL(app.settings.issuer).origin;
  const tokenDeps = (): TokenCheckDependencies => ({ provider: app.provider, endpointUrl: (ctx) => `${origin}${ctx.path}`, certificate });

  function handle(scope: Scope, action: (ctx: Context, grant: Grant) => Promise<void>) {
    return async (ctx: Context) => {
      ctx.set('Cache-Control', 'no-store');
      try {
        const token = await requireAccessToken(ctx, tokenDeps());
        if (!String(token.scope ?? '').split(' ').includes(scope)) throw new EndpointRefusal(403, 'insufficient_scope', `the access token needs the scope ${scope}`, token.jkt ? 'DPoP' : 'Bearer');
        const grant = await app.provider.Grant.find(String(ctx.params.grantId));
        if (!grant || grant.clientId !== token.clientId || !grant.accountId) throw new EndpointRefusal(404, 'invalid_grant_id', 'no such grant for this client');
        await action(ctx, grant);
      } catch (error) {
        if (!(error instanceof EndpointRefusal)) throw error;
        answerRefusal(ctx, error, app.settings.issuer);
      }
    };
  }

  router.get(`${GRANT_MANAGEMENT_PATH}/:grantId`, handle('grant_management_query', async (ctx, grant) => {
    const summary = await app.grants.find(grant.accountId!, grant.clientId!);
    ctx.body = grantQueryResponse(grant, summary?.grantId === grant.jti ? summary.createdAt : undefined);
  }));

  router.delete(`${GRANT_MANAGEMENT_PATH}/:grantId`, handle('grant_management_revoke', async (ctx, grant) => {
    const customer = await app.customers.findBySub(grant.accountId!);
    await revokeCustomerGrant(app, grant.accountId!, { grantId: grant.jti, clientId: grant.clientId! }, { reason: 'grant_management', login_id: customer?.loginId, ip: ctx.ip });
    ctx.status = 204;
  }));

  return router;
}

/** `grant_id` in the token response of clients registered with grant_management (§4); placed at the token endpoint only. */
export function grantIdInTokenResponse() {
  return async (ctx: Context, next: () => Promise<void>) => {
    await next();
    if (ctx.status !== 200 || typeof ctx.body !== 'object' || ctx.body === null) return;
    const { oidc } = ctx as unknown as Partial<KoaContextWithOIDC>;
    const grantId = oidc?.entities?.AccessToken?.grantId;
    if (!grantId || !usesGrantManagement(oidc?.client)) return;
    ctx.body = { ...(ctx.body as Record<string, unknown>), grant_id: grantId };
  };
}
