import Router from '@koa/router';
import { cachePublicly } from '../shared/security-headers.js';
import { PUSH_DELIVERY_METHOD } from './event-types.js';

/**
 * SSF 1.0 §7.1: Transmitter Configuration Metadata. Streams are set up by the bank's operators
 * (`renkei client update --events-endpoint`), so no stream management endpoints are announced.
 */
export const SSF_CONFIGURATION_PATH = '/.well-known/ssf-configuration';

export function ssfConfigurationRoutes(issuer: string): Router {
  const router = new Router();
  const metadata = {
    spec_version: '1_0',
    issuer,
    jwks_uri: `${issuer}/jwks`,
    delivery_methods_supported: [PUSH_DELIVERY_METHOD],
  };
  router.get(SSF_CONFIGURATION_PATH, (ctx) => {
    cachePublicly(ctx, 300);
    ctx.body = metadata;
  });
  return router;
}
