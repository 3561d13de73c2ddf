import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { DataCipher } from '../keys/data-cipher.js';
import type { ClientRecord } from './client-record.js';

/**
 * What oidc-provider sees of a stored client: nothing while it is disabled (so authorization,
 * token, introspection and its tokens are refused at once), and its secret unsealed.
 */
class ProviderClientAdapter implements Adapter {
  constructor(
    private readonly base: Adapter,
    private readonly cipher: DataCipher,
  ) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const record = (await this.base.find(id)) as (Partial<ClientRecord> & AdapterPayload) | undefined;
    if (!record || record.disabled) return undefined;
    const { disabled: _disabled, client_secret_sealed: sealed, client_id_issued_at: _issued, ...metadata } = record;
    return sealed ? { ...metadata, client_secret: this.cipher.open(sealed, id) } : metadata;
  }

  upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
    return this.base.upsert(id, payload, expiresIn);
  }
  findByUid(uid: string) {
    return this.base.findByUid(uid);
  }
  findByUserCode(userCode: string) {
    return this.base.findByUserCode(userCode);
  }
  consume(id: string) {
    return this.base.consume(id);
  }
  destroy(id: string) {
    return this.base.destroy(id);
  }
  revokeByGrantId(grantId: string) {
    return this.base.revokeByGrantId(grantId);
  }
}

export function withProviderClients(base: AdapterFactory, cipher: DataCipher): AdapterFactory {
  return (model) => (model === 'Client' ? new ProviderClientAdapter(base(model), cipher) : base(model));
}
