import { timingSafeEqual } from 'node:crypto';
import Provider, { type Adapter, type AdapterFactory, type AdapterPayload, type KoaContextWithOIDC } from 'oidc-provider';
import type { DataCipher, Sealed } from '../keys/data-cipher.js';
import { presentedClientSecret } from '../provider/claimed-client.js';
import { previousSecretBinding, type ClientRecord } from './client-record.js';
import { DelegatingAdapter } from '../storage/delegating-adapter.js';
import { sharesClientRecords } from './client-cache.js';

/** The request oidc-provider is handling, if any (its documented `Provider.ctx`). */
const currentRequest = () => (Provider as unknown as { readonly ctx?: KoaContextWithOIDC }).ctx;

const MAX_OPENED_SECRETS = 10_000;

/**
 * Opened secrets by sealed value (its IV is unique to it), so that a client's secret is decrypted
 * once per process, not on every request that loads the client.
 */
class OpenedSecrets {
  private readonly opened = new Map<string, string>();
  /** by the sealed value itself, for the frozen records the client cache hands out again and again */
  private readonly bySealed = new WeakMap<Sealed, { readonly boundTo: string; readonly secret: string }>();
  constructor(private readonly cipher: DataCipher) {}

  open(sealed: Sealed, boundTo: string): string {
    const known = this.bySealed.get(sealed);
    if (known?.boundTo === boundTo) return known.secret;
    const secret = this.openByValue(sealed, boundTo);
    this.bySealed.set(sealed, { boundTo, secret });
    return secret;
  }

  private openByValue(sealed: Sealed, boundTo: string): string {
    const key = `${sealed.kid}.${sealed.iv}.${sealed.tag}.${sealed.ciphertext}.${boundTo}`;
    let secret = this.opened.get(key);
    if (secret === undefined) {
      secret = this.cipher.open(sealed, boundTo);
      if (this.opened.size >= MAX_OPENED_SECRETS) this.opened.clear();
      this.opened.set(key, secret);
    }
    return secret;
  }
}

const sameSecret = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')];
  return x.length === y.length && timingSafeEqual(x, y);
};

/** A stored client's metadata without what is ours (state, sealed secrets), with its secret if it has one. */
function providerView(record: Partial<ClientRecord> & AdapterPayload, secret: string | undefined): AdapterPayload {
  const {
    disabled: _disabled, client_secret_sealed: _sealed, client_id_issued_at: _issued,
    previous_client_secret_sealed: _previous, previous_client_secret_expires_at: _previousExpiresAt, ...metadata
  } = record;
  return Object.freeze(secret === undefined ? metadata : { ...metadata, client_secret: secret });
}

/**
 * What oidc-provider sees of a stored client: nothing while it is disabled (so authorization,
 * token, introspection and its tokens are refused at once), and its secret unsealed.
 *
 * oidc-provider compares a presented client_secret with the client's one `client_secret`. During
 * a rotation's grace period, when the request (Provider.ctx) presents the previous secret, the
 * client is loaded with that one as its secret, so oidc-provider's own comparison accepts it;
 * otherwise, and once the grace has passed, with the current secret only.
 */
class ProviderClientAdapter extends DelegatingAdapter {
  /** what oidc-provider was handed for a record, by the secret it was given */
  private readonly views = new WeakMap<object, Map<string | undefined, AdapterPayload>>();

  constructor(
    base: Adapter,
    private readonly secrets: OpenedSecrets,
    private readonly now: () => number,
  ) {
    super(base);
  }

  /**
   * The client as oidc-provider sees it: one frozen object per stored record and secret, handed
   * out again for as long as the client cache holds that record (see reuseBuiltClients).
   */
  override async find(id: string): Promise<AdapterPayload | undefined> {
    // read only here, so the cache's frozen record will do
    const { base } = this;
    const record = (await (sharesClientRecords(base) ? base.findShared(id) : base.find(id))) as (Partial<ClientRecord> & AdapterPayload) | undefined;
    if (!record || record.disabled) return undefined;
    const { client_secret_sealed: sealed, previous_client_secret_sealed: previous, previous_client_secret_expires_at: previousExpiresAt } = record;
    const secret = sealed ? ((previous && this.previousPresented(id, previous, previousExpiresAt)) ?? this.secrets.open(sealed, id)) : undefined;
    let views = this.views.get(record);
    if (!views) this.views.set(record, (views = new Map()));
    let view = views.get(secret);
    if (!view) views.set(secret, (view = providerView(record, secret)));
    return view;
  }

  /** The previous secret, when it is still in its grace period and is what this request presents. */
  private previousPresented(id: string, previous: Sealed, expiresAt: number | undefined): string | undefined {
    if (!expiresAt || expiresAt * 1000 <= this.now()) return undefined;
    const ctx = currentRequest();
    const presented = ctx && presentedClientSecret(ctx.get('authorization'), ctx.oidc?.params?.client_secret);
    if (!presented) return undefined;
    const secret = this.secrets.open(previous, previousSecretBinding(id));
    return sameSecret(presented, secret) ? secret : undefined;
  }
}

export function withProviderClients(base: AdapterFactory, cipher: DataCipher, now: () => number = Date.now): AdapterFactory {
  const secrets = new OpenedSecrets(cipher);
  return (model) => (model === 'Client' ? new ProviderClientAdapter(base(model), secrets, now) : base(model));
}
