import { join } from 'node:path';
import Koa from 'koa';
import type { RouterMiddleware } from '@koa/router';
import { interactionRoutes } from '../interactions/routes.js';
import { ProgressStore } from '../interactions/progress.js';
import { connectionsRoutes } from '../interactions/connections/connections-routes.js';
import { logoutKeptRoutes } from './provider/logout-pages.js';
import { demoRoutes } from '../interactions/demo/demo-routes.js';
import { healthRoutes } from './health/health-routes.js';
import { dataKeyCheck } from './keys/data-key-check.js';
import { GRANT_MANAGEMENT_PATH, grantIdInTokenResponse, grantManagementRoutes } from './grants/grant-management/grant-management-routes.js';
import { discoveryWithoutMtls, mtlsFeature } from './provider/mtls.js';
import { SSF_CONFIGURATION_PATH, ssfConfigurationRoutes } from './events/ssf-configuration.js';
import { freshSessionPerAuthorization } from './provider/fresh-session.js';
import { rememberInteractionAtStart } from './provider/memo-at-start.js';
import { announcePushedRequestLifetime } from './provider/par-lifetime.js';
import { requestUriAtParAsInvalidRequest } from './provider/par-request-uri.js';
import { refuseMalformedQuery } from './provider/percent-encoding.js';
import { dpopProofErrorCode } from './provider/dpop-proof-errors.js';
import { answerUnauthenticatedAsInvalidClient } from './provider/client-auth-errors.js';
import type { ClientFailureLimiter } from './provider/client-failure-limiter.js';
import { readUserinfoForm } from './provider/endpoint-form.js';
import { limitClientFailures } from './provider/token-rate-limit.js';
import { projectRoot } from './settings/project-root.js';
import type { AppContext } from './services.js';
import type { Metrics } from './admin/metrics.js';
import { errorHandler, respondWithError } from './shared/error-handler.js';
import { describeMethodNotAllowed } from './shared/method-not-allowed.js';
import { pinRequestOrigin } from './shared/pin-request-origin.js';
import { formPostAsGet } from './provider/form-post-as-get.js';
import { DISCOVERY_PATHS, dispatchByEndpoint, PROVIDER_PATHS, RESUME_PATH } from './provider/provider-endpoints.js';
import { formPostPage } from './provider/form-post-page.js';
import { pointToNextInteraction } from './provider/next-interaction.js';
import { memoizedAnswers } from './provider/memoized-answers.js';
import { untypedRevocationSuccess } from './provider/revocation-response.js';
import { AccessLog } from './shared/access-log.js';
import { bankNameIn, requestLocale } from './shared/locale.js';
import { CookieSigner } from './keys/cookie-signer.js';
import { requestContext } from './shared/request-context.js';
import { publicListenerHeaders } from './shared/security-headers.js';
import { trustProxy } from './shared/trust-proxy.js';
import { forwardedHeadersFromProxiesOnly } from './shared/trusted-proxies.js';
import { staticAssets } from './shared/static-assets.js';
import { logAppErrors } from './shared/app-errors.js';

/** The public listener: our own routes first, then oidc-provider mounted at the root. */
export function createPublicApp(context: AppContext, metrics: Metrics, providerMiddleware: Koa.Middleware, clientFailures: ClientFailureLimiter): Koa {
  const { settings, store, logger, keys } = context;
  const app = new Koa();
  logAppErrors(app, logger);
  // the same keys as the provider's cookies, or interactionDetails cannot read the session
  app.keys = new CookieSigner(keys.cookieSecrets);
  trustProxy(app, settings.config.server.trustProxy);
  pinRequestOrigin(app, settings.issuer);
  const { bank } = settings.config;
  const bankName = (ctx: Koa.Context) => bankNameIn(bank, requestLocale(ctx, ctx.query.ui_locales));
  /** a request to the authorization or end-session endpoint that cannot be read: an error page, no redirect */
  const refuseUnreadable = (ctx: Koa.Context, status: number, description: string) => respondWithError(ctx, status, bankName(ctx), 'invalid_request', description);

  const { trustProxy: believeProxy, trustedProxies } = settings.config.server;
  if (believeProxy && trustedProxies.length) {
    // first, before anything reads the client's IP or certificate
    app.use(forwardedHeadersFromProxiesOnly(trustedProxies, ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', settings.config.mtls.certificateHeader, settings.config.mtls.verifiedHeader]));
  }
  app.use(requestContext({
    accessLog: new AccessLog(logger),
    observe: metrics.httpObserver('public'),
    headers: publicListenerHeaders(settings.issuer),
    fapiInteractionId: true,
  }));
  app.use(errorHandler(logger, bankName, { contact: bank.contact }, ['/admin/', '/healthz', '/readyz', GRANT_MANAGEMENT_PATH, SSF_CONFIGURATION_PATH]));
  // our own routes: requests to oidc-provider's endpoints skip them (none of them answers there)
  const ownRoutes: RouterMiddleware[] = [];
  ownRoutes.push(describeMethodNotAllowed(['/healthz', '/readyz'], (ctx) => respondWithError(ctx, 405, bankName(ctx), 'invalid_request')));

  const health = healthRoutes(store, dataKeyCheck(store.kv, context.dataCipher, logger));
  ownRoutes.push(health.routes(), health.allowedMethods());
  const ssf = ssfConfigurationRoutes(settings.issuer);
  ownRoutes.push(ssf.routes(), ssf.allowedMethods());
  const assets = staticAssets(join(projectRoot(), 'interactions/assets'));
  ownRoutes.push(assets.routes());
  const interactions = interactionRoutes({ app: context, progressStore: new ProgressStore(store.kv, settings.config.ttl.interactionSeconds) });
  ownRoutes.push(interactions.routes(), interactions.allowedMethods());
  const mtls = mtlsFeature(settings);
  const grantManagement = grantManagementRoutes(context, (ctx) => mtls.getCertificate(ctx as never));
  ownRoutes.push(grantManagement.routes(), grantManagement.allowedMethods());
  const connections = connectionsRoutes(context);
  ownRoutes.push(connections.routes(), connections.allowedMethods());
  const logoutKept = logoutKeptRoutes(settings.config);
  ownRoutes.push(logoutKept.routes(), logoutKept.allowedMethods());
  if (context.demo) {
    const demo = demoRoutes(context, context.demo);
    ownRoutes.push(demo.routes(), demo.allowedMethods());
  }
  const { authorization, endSession, token, pushedAuthorizationRequest: par, introspection, revocation, userinfo, jwks } = PROVIDER_PATHS;
  const clientAuthenticating = [token, par, introspection, revocation];
  app.use(dispatchByEndpoint({
    own: ownRoutes,
    around: [
      { at: [jwks, ...DISCOVERY_PATHS], middleware: memoizedAnswers(() => context.provider) },
      // inside the memo, which keeps what it answers
      ...(settings.config.server.trustProxy ? [] : [{ at: [...DISCOVERY_PATHS], middleware: discoveryWithoutMtls() }]),
      { at: [authorization, RESUME_PATH, endSession], middleware: formPostPage(settings.config) },
      { at: [RESUME_PATH], middleware: pointToNextInteraction() },
      { at: [authorization, endSession], middleware: formPostAsGet(refuseUnreadable) },
      { at: [authorization, endSession], middleware: refuseMalformedQuery(refuseUnreadable) },
      { at: [authorization], middleware: freshSessionPerAuthorization(authorization) },
      { at: [authorization], middleware: rememberInteractionAtStart(authorization) },
      { at: [par], middleware: announcePushedRequestLifetime(settings.config.ttl.pushedAuthorizationRequestSeconds) },
      { at: [par], middleware: requestUriAtParAsInvalidRequest() },
      {
        at: clientAuthenticating,
        middleware: limitClientFailures(clientFailures, token, logger,
          () => metrics.throttled.inc({ limiter: 'client_failures' })),
      },
      { at: clientAuthenticating, middleware: answerUnauthenticatedAsInvalidClient(settings.issuer) },
      { at: [userinfo], middleware: readUserinfoForm() },
      { at: [token, userinfo, introspection, revocation, par], middleware: dpopProofErrorCode() },
      { at: [revocation], middleware: untypedRevocationSuccess() },
      { at: [token], middleware: grantIdInTokenResponse() },
    ],
    provider: providerMiddleware,
  }));
  return app;
}
