import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { Logger } from 'pino';
import { AccessLog } from '../shared/access-log.js';

const ERROR_EVENTS = [
  'authorization.error',
  'backchannel.error',
  'jwks.error',
  'check_session_origin.error',
  'check_session.error',
  'discovery.error',
  'end_session.error',
  'grant.error',
  'introspection.error',
  'pushed_authorization_request.error',
  'registration_create.error',
  'registration_delete.error',
  'registration_read.error',
  'registration_update.error',
  'revocation.error',
  'userinfo.error',
] as const;

interface ProviderError {
  error?: string;
  error_description?: string;
  error_detail?: string;
  status?: number;
}

/** Who and what, never which code or token: ids of opaque tokens are bearer secrets. */
function context(ctx: KoaContextWithOIDC | undefined) {
  return {
    request_id: ctx?.state?.requestId as string | undefined,
    client_id: ctx?.oidc?.client?.clientId,
    route: ctx?.oidc?.route,
    ip: ctx?.ip,
  };
}

/** Wires oidc-provider's events to the log. */
export function logProviderEvents(provider: Provider, logger: Logger): void {
  provider.on('server_error', (ctx: KoaContextWithOIDC, err: Error) => {
    logger.error({ event: 'oidc.server_error', ...context(ctx), err }, 'oidc-provider server error');
  });
  for (const name of ERROR_EVENTS) {
    (provider as unknown as NodeJS.EventEmitter).on(name, (ctx: KoaContextWithOIDC, err: ProviderError) => {
      const level = (err.status ?? 400) >= 500 ? 'error' : 'info';
      logger[level](
        {
          event: `oidc.${name}`,
          ...context(ctx),
          error: err.error,
          error_description: err.error_description,
          error_detail: err.error_detail,
        },
        `${name}: ${err.error ?? 'error'}`,
      );
    });
  }
  // one line per token response: written with the access lines (no redaction walk, one write per turn)
  const lines = new AccessLog(logger);
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const grantType = ctx.oidc.params?.grant_type;
    lines.writeEvent('oidc.grant.success', { ...context(ctx), grant_type: typeof grantType === 'string' ? grantType : undefined }, 'tokens issued');
  });
  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    logger.info({ event: 'oidc.grant.revoked', ...context(ctx), grant_id: grantId }, 'grant revoked');
  });
}
