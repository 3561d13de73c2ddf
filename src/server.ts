import { join } from 'node:path';
import Koa from 'koa';
import mount from 'koa-mount';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { healthRoutes } from './health/health-routes.js';
import { projectRoot } from './settings/project-root.js';
import type { Settings } from './settings/types.js';
import { errorHandler } from './shared/error-handler.js';
import { pickLocale } from './shared/locale.js';
import { requestContext } from './shared/request-context.js';
import { securityHeaders } from './shared/security-headers.js';
import { staticAssets } from './shared/static-assets.js';
import type { Store } from './storage/store.js';

export interface PublicAppDependencies {
  readonly settings: Settings;
  readonly provider: Provider;
  readonly store: Store;
  readonly logger: Logger;
  readonly cookieSecrets: readonly string[];
}

/** The public listener: our own routes first, then oidc-provider mounted at the root. */
export function createPublicApp({ settings, provider, store, logger, cookieSecrets }: PublicAppDependencies): Koa {
  const app = new Koa();
  // the same keys as the provider's cookies, or interactionDetails cannot read the session
  app.keys = [...cookieSecrets];
  app.proxy = settings.config.server.trustProxy;
  const { bank } = settings.config;
  const bankName = (ctx: Koa.Context) => (pickLocale(ctx.query.ui_locales) === 'en' ? bank.nameEn : bank.nameJa);

  app.use(requestContext(logger));
  app.use(securityHeaders({ hsts: settings.issuer.startsWith('https://') }));
  app.use(errorHandler(logger, bankName));

  const health = healthRoutes(store);
  app.use(health.routes()).use(health.allowedMethods());
  const assets = staticAssets(join(projectRoot(), 'interactions/assets/renkei.css'));
  app.use(assets.routes());

  app.use(mount(provider));
  return app;
}
