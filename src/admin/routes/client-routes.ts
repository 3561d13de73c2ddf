import Router from '@koa/router';
import type { Context } from 'koa';
import { ClientError } from '../../clients/client-registry.js';
import { publicMetadata, type ClientInput, type ClientRecord } from '../../clients/client-record.js';
import { revokeCustomerGrant } from '../../grants/revoke-customer-grant.js';
import type { AppContext } from '../../services.js';
import { AdminError } from '../admin-error.js';
import { guard, readJson } from '../admin-guard.js';

const URI = { type: 'string', minLength: 1, maxLength: 2000 };
// not "." or ".." alone: no URL path addresses a dot segment, so such a client could never be shown, disabled or deleted
const CLIENT_ID = /^(?!\.{1,2}$)[A-Za-z0-9._~-]{1,128}$/;
const CLIENT_FIELDS = {
  client_id: { type: 'string', pattern: CLIENT_ID.source, expected: '1 to 128 letters, digits or . _ ~ -, not . or .. alone' },
  client_name: { type: 'string', minLength: 1, maxLength: 200 },
  redirect_uris: { type: 'array', minItems: 0, maxItems: 20, items: URI },
  post_logout_redirect_uris: { type: 'array', minItems: 0, maxItems: 20, items: URI },
  scope: { type: 'string', maxLength: 1000 },
  token_endpoint_auth_method: { enum: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth', 'none'] },
  token_endpoint_auth_signing_alg: { enum: ['PS256', 'ES256', 'EdDSA', 'RS256'] },
  id_token_signed_response_alg: { enum: ['PS256', 'ES256', 'EdDSA', 'RS256'] },
  require_signed_request_object: { type: 'boolean' },
  subject_type: { enum: ['public', 'pairwise'] },
  tls_client_auth_subject_dn: { type: 'string', minLength: 1, maxLength: 500 },
  tls_client_auth_san_dns: { type: 'string', minLength: 1, maxLength: 253 },
  tls_client_certificate_bound_access_tokens: { type: 'boolean' },
  resource_server: { type: 'boolean' },
  grant_management: { type: 'boolean' },
  jwks_uri: URI,
  jwks: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { type: 'object' } } }, additionalProperties: false },
  profile: { enum: ['standard', 'fapi2'] },
  grant_types: { type: 'array', items: { enum: ['authorization_code', 'refresh_token'] } },
  response_types: { type: 'array', items: { const: 'code' } },
  /** null stops the partner's events */
  events_endpoint: { anyOf: [URI, { type: 'null' }] },
  events_authorization: { type: 'string', minLength: 1, maxLength: 4096 },
  events_requested: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 200 } },
};
const createGuard = guard<ClientInput>({ type: 'object', additionalProperties: false, required: ['client_name', 'redirect_uris'], properties: CLIENT_FIELDS });
const { client_id: _id, ...PATCH_FIELDS } = CLIENT_FIELDS;
const patchGuard = guard<Partial<ClientInput>>({ type: 'object', additionalProperties: false, minProperties: 1, properties: PATCH_FIELDS });
const MAX_GRACE_HOURS = 720;
const rotateGuard = guard<{ grace_hours?: number }>({ type: 'object', additionalProperties: false, properties: { grace_hours: { type: 'number', minimum: 0, maximum: MAX_GRACE_HOURS } } });

/** ClientError → the admin API's error contract. */
async function mapClientErrors<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    if (error.code === 'client.not_found') throw new AdminError(404, 'not_found', error.message);
    if (error.code === 'client.conflict') throw new AdminError(409, 'conflict', error.message);
    throw new AdminError(400, 'validation_failed', error.message, error.details);
  }
}

/** A patch that gives one way of publishing keys drops the other (jwks ⇄ jwks_uri). */
function replacingKeys(patch: Partial<ClientInput>): Partial<ClientInput> {
  if (patch.jwks_uri !== undefined && patch.jwks === undefined) return { ...patch, jwks: undefined };
  if (patch.jwks !== undefined && patch.jwks_uri === undefined) return { ...patch, jwks_uri: undefined };
  return patch;
}

/** A secret as RFC 7591 §3.2.1 issues it: with when it expires, 0 for never (it lasts until rotated). */
const issuedSecret = (clientSecret: string) => ({ client_secret: clientSecret, client_secret_expires_at: 0 });

/** The client's metadata, and its secret when this answer issued one (creation, rotation, made confidential). */
function answerWithSecret(record: ClientRecord, clientSecret: string | undefined) {
  return { ...publicMetadata(record), ...(clientSecret ? issuedSecret(clientSecret) : {}) };
}

export function clientRoutes(app: AppContext): Router {
  const router = new Router({ prefix: '/clients' });
  const audit = (ctx: Context, event: string, clientId: string, extra: Record<string, unknown> = {}) =>
    app.audit(`client.${event}`, { client_id: clientId, ip: ctx.ip, outcome: 'success', ...extra });

  /**
   * A client that an update made confidential got a secret nobody has seen: issue a fresh one and
   * show it in this answer (as at creation), or the partner could never authenticate.
   */
  async function newlyConfidential(ctx: Context, before: ClientRecord, after: ClientRecord): Promise<string | undefined> {
    if (before.client_secret_sealed || !after.client_secret_sealed) return undefined;
    const secret = await app.clients.rotateSecret(after.client_id);
    audit(ctx, 'secret_rotated', after.client_id, { reason: 'became_confidential' });
    return secret;
  }

  router.post('/', async (ctx) => {
    const input = createGuard(await readJson(ctx));
    const { record, clientSecret } = await mapClientErrors(() => app.clients.create(input));
    audit(ctx, 'created', record.client_id, { profile: record.profile });
    ctx.status = 201;
    ctx.body = answerWithSecret(record, clientSecret);
  });

  router.get('/', async (ctx) => {
    ctx.body = (await app.clients.list()).map(publicMetadata);
  });

  router.get('/:clientId', async (ctx) => {
    ctx.body = publicMetadata(await mapClientErrors(() => app.clients.require(ctx.params.clientId!)));
  });

  router.patch('/:clientId', async (ctx) => {
    const patch = patchGuard(await readJson(ctx));
    const before = await mapClientErrors(() => app.clients.require(ctx.params.clientId!));
    const { record, changed } = await mapClientErrors(() => app.clients.updateReporting(ctx.params.clientId!, replacingKeys(patch)));
    audit(ctx, changed.length ? 'updated' : 'unchanged', record.client_id, changed.length ? { changed } : {});
    const clientSecret = await newlyConfidential(ctx, before, record);
    ctx.body = answerWithSecret(record, clientSecret);
  });

  router.put('/:clientId', async (ctx) => {
    const input = createGuard(await readJson(ctx));
    const clientId = ctx.params.clientId!;
    if (!CLIENT_ID.test(clientId)) {
      throw new AdminError(400, 'validation_failed', '/client_id must be 1–128 characters of A–Z, a–z, 0–9, ".", "_", "~", "-", not "." or ".." alone', [{ path: '/client_id', message: 'is not a valid client_id' }]);
    }
    if (input.client_id !== undefined && input.client_id !== clientId) {
      throw new AdminError(400, 'validation_failed', 'client_id in the body differs from the URL', [{ path: '/client_id', message: 'must match the URL' }]);
    }
    const before = await app.clients.get(clientId);
    // keys given one way replace keys stored the other way
    const result = await mapClientErrors(() => app.clients.apply({ ...replacingKeys(input), client_id: clientId } as ClientInput & { client_id: string }));
    const outcome = result.created ? 'created' : result.changed.length ? 'updated' : 'unchanged';
    audit(ctx, outcome, result.record.client_id, { via: 'apply', ...(outcome === 'updated' ? { changed: result.changed } : {}) });
    const clientSecret = result.clientSecret ?? (before ? await newlyConfidential(ctx, before, result.record) : undefined);
    ctx.status = result.created ? 201 : 200;
    ctx.body = answerWithSecret(result.record, clientSecret);
  });

  for (const [action, disabled] of [['disable', true], ['enable', false]] as const) {
    router.post(`/:clientId/${action}`, async (ctx) => {
      const record = await mapClientErrors(() => app.clients.setDisabled(ctx.params.clientId!, disabled));
      audit(ctx, `${action}d`, record.client_id);
      ctx.body = publicMetadata(record);
    });
  }

  /** Optional body { grace_hours }: the previous secret stays valid that long (at most 30 days). */
  router.post('/:clientId/rotate-secret', async (ctx) => {
    const { grace_hours: graceHours = 0 } = ctx.request.length || ctx.get('content-type') ? rotateGuard(await readJson(ctx)) : {};
    const clientId = ctx.params.clientId!;
    const clientSecret = await mapClientErrors(() => app.clients.rotateSecret(clientId, { graceSeconds: Math.round(graceHours * 3600) }));
    const expiresAt = (await app.clients.get(clientId))?.previous_client_secret_expires_at;
    const previousValidUntil = expiresAt ? new Date(expiresAt * 1000).toISOString() : null;
    audit(ctx, 'secret_rotated', clientId, { grace_hours: graceHours });
    ctx.body = { client_id: clientId, ...issuedSecret(clientSecret), previous_secret_valid_until: previousValidUntil };
  });

  router.delete('/:clientId', async (ctx) => {
    const clientId = ctx.params.clientId!;
    await mapClientErrors(() => app.clients.require(clientId));
    for (const [grantId, sub] of Object.entries(await app.grants.listForClient(clientId))) {
      await revokeCustomerGrant(app, sub, { grantId, clientId }, { reason: 'client_deleted', ip: ctx.ip });
    }
    await app.clients.delete(clientId);
    audit(ctx, 'deleted', clientId);
    ctx.status = 204;
  });

  return router;
}
