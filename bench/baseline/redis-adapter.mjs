// The baseline's storage: the smallest correct Redis adapter for oidc-provider. One JSON string
// per record (SET … EX), consume as read-modify-write, nothing indexed but Session uids.

const PREFIX = 'bare';

export function bareRedisAdapter(redis) {
  return (model) => new BareRedisAdapter(redis, model);
}

class BareRedisAdapter {
  constructor(redis, model) {
    this.redis = redis;
    this.model = model;
  }

  key(id) {
    return `${PREFIX}:${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const json = JSON.stringify(payload);
    if (expiresIn) await this.redis.set(this.key(id), json, 'EX', expiresIn);
    else await this.redis.set(this.key(id), json);
    if (this.model === 'Session' && payload.uid) {
      const uidKey = `${PREFIX}:SessionUid:${payload.uid}`;
      if (expiresIn) await this.redis.set(uidKey, id, 'EX', expiresIn);
      else await this.redis.set(uidKey, id);
    }
  }

  async find(id) {
    const json = await this.redis.get(this.key(id));
    return json ? JSON.parse(json) : undefined;
  }

  async findByUid(uid) {
    const id = await this.redis.get(`${PREFIX}:SessionUid:${uid}`);
    return id ? this.find(id) : undefined;
  }

  async findByUserCode() {
    return undefined;
  }

  async consume(id) {
    const payload = await this.find(id);
    if (!payload) return;
    payload.consumed = Math.floor(Date.now() / 1000);
    await this.redis.set(this.key(id), JSON.stringify(payload), 'KEEPTTL');
  }

  async destroy(id) {
    await this.redis.del(this.key(id));
  }

  // Never on a path the bench measures (code reuse, refresh token revocation): a scan keeps the
  // hot paths free of any grant index.
  async revokeByGrantId(grantId) {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${PREFIX}:${this.model}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const json = await this.redis.get(key);
        if (json && JSON.parse(json).grantId === grantId) await this.redis.del(key);
      }
    } while (cursor !== '0');
  }
}
