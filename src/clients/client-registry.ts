import { randomBytes } from 'node:crypto';
import type { AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { DataCipher, Sealed } from '../keys/data-cipher.js';
import type { RenkeiConfig } from '../settings/types.js';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { redisKeys } from '../storage/redis-keys.js';
import { FAPI_SIGNING_ALGS, MTLS_METHODS, previousSecretBinding, type ClientInput, type ClientProfile, type ClientRecord, type SigningAlg } from './client-record.js';
import { checkClientRules, type ClientRuleOptions, type RuleProblem } from './client-rules.js';
import { keyName, screenPartnerKeys } from './partner-keys.js';

export type ClientErrorCode = 'client.not_found' | 'client.conflict' | 'client.invalid';

export class ClientError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly details: readonly RuleProblem[] = [],
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

export interface IssuedClient {
  readonly record: ClientRecord;
  /** shown once: at creation and rotation */
  readonly clientSecret?: string | undefined;
}

/** An update's outcome: the record as stored and the metadata fields it changed (none: nothing was written). */
export interface UpdatedClient {
  readonly record: ClientRecord;
  readonly changed: readonly string[];
}

/** Sealed fields by the name the metadata gives them; a secret is named, never shown. */
const FIELD_NAMES: Readonly<Record<string, string>> = { events_authorization_sealed: 'events_authorization', client_secret_sealed: 'client_secret' };

/** What the store adds to every record it reads back (record-encoding.ts): not metadata. */
const STORE_FIELDS = new Set(['kind', 'jti']);

/** The metadata fields whose stored values differ between two records of a client, sorted. */
function changedFields(before: ClientRecord, after: ClientRecord): string[] {
  const was = before as unknown as Record<string, unknown>;
  const is = after as unknown as Record<string, unknown>;
  return [...new Set([...Object.keys(was), ...Object.keys(is)])]
    .filter((name) => !STORE_FIELDS.has(name) && JSON.stringify(was[name]) !== JSON.stringify(is[name]))
    .map((name) => FIELD_NAMES[name] ?? name)
    .sort();
}

/** Checks metadata the way oidc-provider will when it loads the client (throws on invalid). */
export type ProviderMetadataCheck = (metadata: Record<string, unknown>) => Promise<void>;

/** The algorithm a client's own keys sign with: ES256 for P-256, EdDSA for Ed25519, PS256 for RSA. */
function algOfKeys(jwks: ClientInput['jwks']): SigningAlg | undefined {
  const key = jwks?.keys[0] as { kty?: string; crv?: string; alg?: string } | undefined;
  if (!key) return undefined;
  if (key.alg && (FAPI_SIGNING_ALGS as readonly string[]).includes(key.alg)) return key.alg as SigningAlg;
  if (key.kty === 'EC' && key.crv === 'P-256') return 'ES256';
  if (key.kty === 'OKP' && key.crv === 'Ed25519') return 'EdDSA';
  return 'PS256';
}

/** FAPI 2.0: PAR, DPoP-bound tokens, and PS256/ES256/EdDSA for everything the client or we sign. */
function fapi2Metadata(input: ClientInput): Partial<ClientRecord> {
  const clientAlg = input.token_endpoint_auth_signing_alg ?? algOfKeys(input.jwks) ?? 'PS256';
  const mtls = MTLS_METHODS.includes(input.token_endpoint_auth_method ?? 'private_key_jwt');
  return {
    require_pushed_authorization_requests: true,
    // sender-constrained: certificate-bound with mutual TLS, DPoP-bound otherwise
    ...(mtls ? { tls_client_certificate_bound_access_tokens: true } : { dpop_bound_access_tokens: true }),
    ...(mtls ? {} : { token_endpoint_auth_signing_alg: clientAlg }),
    ...(input.jwks || input.jwks_uri ? { request_object_signing_alg: clientAlg } : {}),
    id_token_signed_response_alg: input.id_token_signed_response_alg ?? 'PS256',
    authorization_signed_response_alg: 'PS256',
  };
}

/** What the sealed events_authorization is bound to (never the same as the client secret). */
export const eventsAuthorizationBinding = (clientId: string) => `${clientId}#events_authorization`;

/** SSF push delivery metadata, kept only while there is an endpoint. */
function eventsMetadata(input: ClientInput, authorization: Sealed | undefined): Partial<ClientRecord> {
  if (!input.events_endpoint) return {};
  return {
    events_endpoint: input.events_endpoint,
    ...(input.events_requested ? { events_requested: [...new Set(input.events_requested)] } : {}),
    ...(authorization ? { events_authorization_sealed: authorization } : {}),
  };
}

/** Each registered key that the partner-key rules refuse, named by kid (else index) with the reason. */
async function keyProblems(jwks: ClientInput['jwks'], profile: ClientProfile): Promise<RuleProblem[]> {
  if (!jwks) return [];
  if (jwks.keys.length === 0) return [{ path: '/jwks/keys', message: 'jwks holds no keys' }];
  const { refused } = await screenPartnerKeys(jwks.keys, profile);
  return refused.map((refusal) => ({ path: `/jwks/keys/${refusal.index}`, message: `${keyName(refusal)} ${refusal.reason}` }));
}

const newSecret = () => randomBytes(32).toString('base64url');
const isConfidential = (record: Pick<ClientRecord, 'token_endpoint_auth_method'>) =>
  record.token_endpoint_auth_method === 'client_secret_basic' || record.token_endpoint_auth_method === 'client_secret_post';

/**
 * Partner clients live in the store (the Client model), so one registered on any instance is
 * live on every instance at once. Secrets are sealed with the data key, never stored in clear.
 */
export class ClientRegistry {
  constructor(
    private readonly adapterFactory: AdapterFactory,
    private readonly kv: KeyValueStore,
    private readonly cipher: DataCipher,
    private readonly scopes: RenkeiConfig['scopes'],
    private readonly providerCheck: ProviderMetadataCheck,
    private readonly ruleOptions: ClientRuleOptions = {},
  ) {}

  private eventsConfigured: (record: ClientRecord) => Promise<void> = async () => {};

  /** Called after a partner's events endpoint is set or changed (SSF: a verification event is sent on setup). */
  onEventsConfigured(listener: (record: ClientRecord) => Promise<void>): void {
    this.eventsConfigured = listener;
  }

  private async announceEvents(before: ClientRecord | undefined, after: ClientRecord): Promise<void> {
    if (!after.events_endpoint) return;
    const changed = before?.events_endpoint !== after.events_endpoint || JSON.stringify(before?.events_authorization_sealed) !== JSON.stringify(after.events_authorization_sealed);
    if (changed) await this.eventsConfigured(after);
  }

  private get adapter() {
    return this.adapterFactory('Client');
  }

  async get(clientId: string): Promise<ClientRecord | undefined> {
    return (await this.adapter.find(clientId)) as ClientRecord | undefined;
  }

  async require(clientId: string): Promise<ClientRecord> {
    const record = await this.get(clientId);
    if (!record) throw new ClientError('client.not_found', `no client ${clientId}`);
    return record;
  }

  async list(): Promise<ClientRecord[]> {
    const ids = Object.keys(await this.kv.hashGetAll(redisKeys.clientList()));
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((r): r is ClientRecord => r !== undefined).sort((a, b) => a.client_id_issued_at - b.client_id_issued_at);
  }

  async create(input: ClientInput): Promise<IssuedClient> {
    const clientId = input.client_id ?? `c-${randomBytes(12).toString('base64url')}`;
    if (await this.get(clientId)) throw new ClientError('client.conflict', `client ${clientId} already exists`);
    const record = await this.build(clientId, input, Math.floor(Date.now() / 1000), false);
    const clientSecret = isConfidential(record) ? newSecret() : undefined;
    await this.save(record, clientSecret);
    const saved = (await this.get(clientId))!;
    await this.announceEvents(undefined, saved);
    return { record: saved, clientSecret };
  }

  async update(clientId: string, patch: Partial<ClientInput>): Promise<ClientRecord> {
    return (await this.updateReporting(clientId, patch)).record;
  }

  /** An update that says which fields it changed; one that changes nothing writes nothing and tells the partner nothing. */
  async updateReporting(clientId: string, patch: Partial<ClientInput>): Promise<UpdatedClient> {
    const current = await this.require(clientId);
    const {
      client_id_issued_at, disabled, client_secret_sealed, client_id: _id, previous_client_secret_sealed, previous_client_secret_expires_at,
      require_pushed_authorization_requests: _par, dpop_bound_access_tokens: _dpop, authorization_signed_response_alg: _jarm, request_object_signing_alg: _jar,
      events_authorization_sealed: eventsAuthorization,
      ...input
    } = current;
    const record = await this.build(clientId, { ...input, ...this.withoutStoredAuthorization(clientId, patch, eventsAuthorization) }, client_id_issued_at, disabled, eventsAuthorization);
    const needsSecret = isConfidential(record);
    // a rotation's grace outlives metadata changes while the client keeps its secret
    const grace = needsSecret && client_secret_sealed && previous_client_secret_sealed ? { previous_client_secret_sealed, previous_client_secret_expires_at } : {};
    const kept = needsSecret && client_secret_sealed ? { client_secret_sealed } : {};
    const changed = changedFields(current, { ...record, ...kept, ...grace });
    if (needsSecret && !client_secret_sealed) changed.push('client_secret');
    if (changed.length === 0) return { record: current, changed };
    const secret = needsSecret && client_secret_sealed ? this.cipher.open(client_secret_sealed, clientId) : needsSecret ? newSecret() : undefined;
    await this.save({ ...record, ...grace }, secret);
    const saved = (await this.get(clientId))!;
    await this.announceEvents(current, saved);
    return { record: saved, changed: changed.sort() };
  }

  /**
   * The patch without its events Authorization when that is the value already stored: sealing draws
   * a fresh IV, so the same value sealed again would read as a change (and a new verification event).
   */
  private withoutStoredAuthorization(clientId: string, patch: Partial<ClientInput>, stored: Sealed | undefined): Partial<ClientInput> {
    if (patch.events_authorization === undefined || !stored) return patch;
    if (this.cipher.open(stored, eventsAuthorizationBinding(clientId)) !== patch.events_authorization) return patch;
    const { events_authorization: _same, ...rest } = patch;
    return rest;
  }

  /** Create-or-update from a file of metadata (idempotent): the secret is issued only on creation. */
  async apply(input: ClientInput & { client_id: string }): Promise<IssuedClient & { created: boolean; changed: readonly string[] }> {
    if (!(await this.get(input.client_id))) return { ...(await this.create(input)), created: true, changed: [] };
    const { client_id: clientId, ...rest } = input;
    return { ...(await this.updateReporting(clientId, rest)), created: false };
  }

  async setDisabled(clientId: string, disabled: boolean): Promise<ClientRecord> {
    const record = await this.require(clientId);
    await this.adapter.upsert(clientId, { ...record, disabled } as unknown as AdapterPayload);
    return { ...record, disabled };
  }

  /**
   * A new secret. With a grace period the secret it replaces stays valid that long (sealed like the
   * current one, with its expiry), so the partner can deploy the new one without an outage.
   */
  async rotateSecret(clientId: string, { graceSeconds = 0, now = Date.now() }: { graceSeconds?: number; now?: number } = {}): Promise<string> {
    const record = await this.require(clientId);
    if (!isConfidential(record)) throw new ClientError('client.invalid', `client ${clientId} uses ${record.token_endpoint_auth_method}; it has no secret`);
    const { previous_client_secret_sealed: _sealed, previous_client_secret_expires_at: _expires, ...current } = record;
    const secret = newSecret();
    const grace = graceSeconds > 0 && record.client_secret_sealed
      ? {
          previous_client_secret_sealed: this.cipher.seal(this.cipher.open(record.client_secret_sealed, clientId), previousSecretBinding(clientId)),
          previous_client_secret_expires_at: Math.floor(now / 1000 + graceSeconds),
        }
      : {};
    await this.save({ ...current, ...grace }, secret);
    return secret;
  }


  async delete(clientId: string): Promise<void> {
    await this.require(clientId);
    await this.adapter.destroy(clientId);
    await this.kv.hashDelete(redisKeys.clientList(), clientId);
  }

  private async build(clientId: string, input: ClientInput, issuedAt: number, disabled: boolean, eventsAuthorization?: Sealed): Promise<ClientRecord> {
    const profile = input.profile ?? 'standard';
    const problems = [...checkClientRules(input, this.scopes, this.ruleOptions), ...(await keyProblems(input.jwks, profile))];
    if (problems.length) throw new ClientError('client.invalid', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
    const record: ClientRecord = {
      client_id: clientId,
      client_name: input.client_name,
      redirect_uris: input.redirect_uris,
      ...(input.post_logout_redirect_uris?.length ? { post_logout_redirect_uris: input.post_logout_redirect_uris } : {}),
      scope: input.scope ?? 'openid',
      token_endpoint_auth_method: input.token_endpoint_auth_method ?? (profile === 'fapi2' ? 'private_key_jwt' : 'client_secret_basic'),
      grant_types: input.resource_server ? [] : (input.grant_types ?? ['authorization_code', 'refresh_token']),
      response_types: input.resource_server ? [] : (input.response_types ?? ['code']),
      ...(input.resource_server ? { resource_server: true } : {}),
      ...(input.grant_management ? { grant_management: true } : {}),
      profile,
      client_id_issued_at: issuedAt,
      disabled,
      ...(input.jwks ? { jwks: input.jwks } : {}),
      ...(input.jwks_uri ? { jwks_uri: input.jwks_uri } : {}),
      ...(input.token_endpoint_auth_signing_alg ? { token_endpoint_auth_signing_alg: input.token_endpoint_auth_signing_alg } : {}),
      ...(input.id_token_signed_response_alg ? { id_token_signed_response_alg: input.id_token_signed_response_alg } : {}),
      ...(input.require_signed_request_object ? { require_signed_request_object: true } : {}),
      ...(input.subject_type ? { subject_type: input.subject_type } : {}),
      ...(input.tls_client_auth_subject_dn ? { tls_client_auth_subject_dn: input.tls_client_auth_subject_dn } : {}),
      ...(input.tls_client_auth_san_dns ? { tls_client_auth_san_dns: input.tls_client_auth_san_dns } : {}),
      ...(input.tls_client_certificate_bound_access_tokens ? { tls_client_certificate_bound_access_tokens: true } : {}),
      ...(profile === 'fapi2' ? fapi2Metadata(input) : {}),
      ...eventsMetadata(input, input.events_authorization !== undefined ? this.cipher.seal(input.events_authorization, eventsAuthorizationBinding(clientId)) : eventsAuthorization),
    };
    const { client_id_issued_at: _issued, disabled: _disabled, events_endpoint: _events, events_requested: _requested, events_authorization_sealed: _authorization, ...metadata } = record;
    try {
      await this.providerCheck({ ...metadata, ...(isConfidential(record) ? { client_secret: 'x'.repeat(43) } : {}) });
    } catch (error) {
      const description = (error as { error_description?: string }).error_description ?? (error as Error).message;
      throw new ClientError('client.invalid', description, [{ path: '/', message: description }]);
    }
    return record;
  }

  private async save(record: ClientRecord, secret: string | undefined): Promise<void> {
    const { client_secret_sealed: _old, ...rest } = record;
    const stored: ClientRecord = { ...rest, ...(secret ? { client_secret_sealed: this.cipher.seal(secret, record.client_id) } : {}) };
    await this.adapter.upsert(record.client_id, stored as unknown as AdapterPayload);
    await this.kv.hashSet(redisKeys.clientList(), record.client_id, record.client_name);
  }
}
