import type { Adapter, AdapterPayload } from 'oidc-provider';

/** An adapter that hands every call to another; wrappers override only what they change. */
export class DelegatingAdapter implements Adapter {
  constructor(protected readonly base: Adapter) {}

  upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
    return this.base.upsert(id, payload, expiresIn);
  }
  find(id: string) {
    return this.base.find(id);
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
