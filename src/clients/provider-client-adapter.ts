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
  constructor(
    base: Adapter,
    private readonly secrets: OpenedSecrets,
    private readonly now: () => number,
  ) {
    super(base);
  }

  override async find(id: string): Promise<AdapterPayload | undefined> {
    // read only here (the result is a new object), so the cache's frozen record will do
    const { base } = this;
    const record = (await (sharesClientRecords(base) ? base.findShared(id) : base.find(id))) as (Partial<ClientRecord> & AdapterPayload) | undefined;
    if (!record || record.disabled) return undefined;
    const {
      disabled: _disabled, client_secret_sealed: sealed, client_id_issued_at: _issued,
      previous_client_secret_sealed: previous, previous_client_secret_expires_at: previousExpiresAt, ...metadata
    } = record;
    if (!sealed) return metadata;
    const current = this.secrets.open(sealed, id);
    return { ...metadata, client_secret: (previous && this.previousPresented(id, previous, previousExpiresAt)) ?? current };
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
