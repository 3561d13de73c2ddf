import Provider, { type Adapter, type AdapterFactory, type AdapterPayload } from 'oidc-provider';
import { alreadyConsumed } from './consume-errors.js';
import { CONSUME, DESTROY_GRANT_MEMBER, FIND_GRANT_MEMBER, FIND_OR_CLAIM, REVOKE_GRANT_MEMBERS, UPSERT_GRANT_MEMBER } from './lua-scripts.js';
import { defineScript, type RedisConnection, type Script } from './redis-connection.js';
import { consumedFieldsOf, liveCapOf, usedCapOf } from './grant-record-limits.js';
import { decodeRecord, encodeGrantMember, encodePointer, encodeRecord, withGrantFields, type RecordIdentity, type StoredRecord } from './record-encoding.js';
import { GRANTABLE_MODELS, REPLAY_CLAIM_SECONDS, REPLAY_DETECTION, grantMemberName, pointerOfGrantMember, redisKeys } from './redis-keys.js';
import { retryWhileSlotMoves } from './slot-migration-retry.js';
import { guardStore } from './store-errors.js';

const DEFAULT_SLOT_MIGRATION_WAIT_MS = 10_000;


interface Scripts {
  upsertGrantMember: Script;
  findGrantMember: Script;
  consume: Script;
  revokeGrantMembers: Script;
  destroyGrantMember: Script;
  findOrClaim: Script;
}

function defineScripts(redis: RedisConnection, slotMigrationWaitMs: number): Scripts {
  const define = (name: string, numberOfKeys: number, lua: string): Script => {
    const script = defineScript(redis, name, numberOfKeys, lua);
    return (keys, args) => retryWhileSlotMoves(() => script(keys, args), slotMigrationWaitMs);
  };
  return {
    upsertGrantMember: define('renkeiUpsertGrantMember', 4, UPSERT_GRANT_MEMBER),
    findGrantMember: define('renkeiFindGrantMember', 2, FIND_GRANT_MEMBER),
    consume: define('renkeiConsume', 5, CONSUME),
    revokeGrantMembers: define('renkeiRevokeGrantMembers', 3, REVOKE_GRANT_MEMBERS),
    destroyGrantMember: define('renkeiDestroyGrantMember', 4, DESTROY_GRANT_MEMBER),
    findOrClaim: define('renkeiFindOrClaim', 1, FIND_OR_CLAIM),
  };
}

const isWrongType = (error: unknown) => error instanceof Error && error.message.startsWith('WRONGTYPE');

/** A record by its key, stored as a string or (written before that layout) as a hash. */
async function readRecord(redis: RedisConnection, key: string, identity: RecordIdentity): Promise<StoredRecord> {
  try {
    const value = await redis.get(key);
    return value === null ? {} : decodeRecord([value], identity);
  } catch (error) {
    if (!isWrongType(error)) throw error;
    return decodeRecord(Object.entries(await redis.hgetall(key)).flat(), identity);
  }
}

/** Models whose records are also found by a look-up key (a session by its uid, a device code by its user code), which goes with them. */
const HAS_LOOKUP_INDEX: ReadonlySet<string> = new Set(['Session', 'DeviceCode']);

/** The grant's index and its capped sets, in the order the grant scripts take them. */
const grantSets = (grantId: string) => [redisKeys.grantIndex(grantId), redisKeys.grantAccessTokens(grantId), redisKeys.grantUsedRefreshTokens(grantId)];

const epochSeconds = () => Math.floor(Date.now() / 1000);

const MAX_KNOWN_GRANTS = 50_000;

/**
 * Which grant holds a record, for records this process wrote or has located before. A record's id
 * is random and its grant never changes, so what is known here stays true; it saves reading the
 * pointer (another slot) before the record. A record gone since reads as absent all the same.
 *
 * Bounded by two generations: when the newer holds half the bound it becomes the older, and the
 * older is dropped whole. Not by dropping the oldest entry at each insertion: V8's Map keeps a
 * deleted entry's slot until it rehashes, so finding the oldest one again walks over every entry
 * deleted before it (about 25 µs per insertion at the bound, measured).
 */
class KnownGrants {
  private newer = new Map<string, string>();
  private older = new Map<string, string>();

  get(model: string, id: string): string | undefined {
    const key = `${model}:${id}`;
    return this.newer.get(key) ?? this.older.get(key);
  }

  remember(model: string, id: string, grantId: string): void {
    if (this.newer.size >= MAX_KNOWN_GRANTS / 2) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(`${model}:${id}`, grantId);
  }

  forget(model: string, id: string): void {
    const key = `${model}:${id}`;
    this.newer.delete(key);
    this.older.delete(key);
  }
}

/** The request oidc-provider is handling, if any (its documented `Provider.ctx`). */
const currentRequest = (): object | undefined => (Provider as unknown as { readonly ctx?: object }).ctx;

/**
 * Grant records read along with a code or token of theirs (same slot, one script), kept for the
 * rest of that request only: oidc-provider loads a token's grant right after the token, and
 * takes it from here instead of reading it again. Taken once; a write to the grant drops it.
 */
const grantsReadWithTokens = new WeakMap<object, Map<string, AdapterPayload>>();

function keepGrantForRequest(grantId: string, grant: AdapterPayload): void {
  const request = currentRequest();
  if (!request) return;
  let grants = grantsReadWithTokens.get(request);
  if (!grants) grantsReadWithTokens.set(request, (grants = new Map()));
  grants.set(grantId, grant);
}

function takeGrantOfRequest(grantId: string): AdapterPayload | undefined {
  const request = currentRequest();
  const grants = request && grantsReadWithTokens.get(request);
  const grant = grants?.get(grantId);
  if (grant) grants!.delete(grantId);
  return grant;
}

function dropGrantOfRequest(grantId: string): void {
  const request = currentRequest();
  if (request) grantsReadWithTokens.get(request)?.delete(grantId);
}

/**
 * oidc-provider's storage on Redis. Grantable records (codes, tokens) live in their grant's hash
 * slot so that consumption and revocation are single atomic scripts; a pointer under the
 * record's own id says which grant holds it.
 */
class RedisAdapter implements Adapter {
  private readonly grantable: boolean;

  constructor(
    private readonly model: string,
    private readonly redis: RedisConnection,
    private readonly scripts: Scripts,
    private readonly knownGrants: KnownGrants,
  ) {
    this.grantable = GRANTABLE_MODELS.has(model);
  }

  upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    return guardStore(async () => {
      const ttl = typeof expiresIn === 'number' && expiresIn > 0 ? Math.ceil(expiresIn) : 0;
      if (this.model === 'Grant') dropGrantOfRequest(id);
      if (this.grantable && payload.grantId) {
        const { grantId } = payload;
        const { value, fromGrant } = encodeGrantMember(payload, { model: this.model, id, grantId });
        const lookUpKeysWritten = this.writeLookUpKeys(id, payload, ttl);
        // pointer and record in one round trip (they are in different slots): until both are written
        // oidc-provider has not handed the record out, and either one alone reads as absent
        const [, dropped] = await Promise.all([
          this.setString(redisKeys.record(this.model, id), encodePointer(grantId), ttl),
          this.scripts.upsertGrantMember(
            [redisKeys.grantMember(this.model, id, grantId), redisKeys.grantIndex(grantId), redisKeys.grantAccessTokens(grantId), redisKeys.grant(grantId)],
            [value, ttl, grantMemberName(this.model, id), liveCapOf(this.model), fromGrant],
          ) as Promise<string[]>,
          lookUpKeysWritten,
        ]);
        this.knownGrants.remember(this.model, id, grantId);
        await this.deletePointers(dropped);
      } else {
        const record = encodeRecord(payload, { model: this.model, id });
        await Promise.all([this.setString(this.keyOf(id), record, ttl), this.writeLookUpKeys(id, payload, ttl)]);
      }
    });
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return guardStore(async () => {
      if (this.model === REPLAY_DETECTION) {
        const reply = (await this.scripts.findOrClaim([this.keyOf(id)], [JSON.stringify({ jti: id, kind: REPLAY_DETECTION }), REPLAY_CLAIM_SECONDS])) as string[];
        return decodeRecord(reply, { model: this.model, id }).payload;
      }
      if (!this.grantable) {
        const prefetched = this.model === 'Grant' ? takeGrantOfRequest(id) : undefined;
        return prefetched ?? (await readRecord(this.redis, this.keyOf(id), { model: this.model, id })).payload;
      }
      let grantId = this.knownGrants.get(this.model, id);
      if (!grantId) {
        // the key under the record's own id holds either the pointer to its grant or (stored without a grant) the record itself
        const stored = await readRecord(this.redis, redisKeys.record(this.model, id), { model: this.model, id });
        if (!stored.grantId) return stored.payload;
        grantId = stored.grantId;
        this.knownGrants.remember(this.model, id, grantId);
      }
      const [member, grant] = (await this.scripts.findGrantMember([redisKeys.grantMember(this.model, id, grantId), redisKeys.grant(grantId)], [])) as [string[], string[]];
      const grantPayload = decodeRecord(grant, { model: 'Grant', id: grantId }).payload;
      const payload = withGrantFields(decodeRecord(member, { model: this.model, id, grantId }).payload, grantPayload);
      if (payload && grantPayload) keepGrantForRequest(grantId, grantPayload);
      return payload;
    });
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return guardStore(async () => {
      const id = await this.redis.get(redisKeys.sessionByUid(uid));
      return id ? this.find(id) : undefined;
    });
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return guardStore(async () => {
      const id = await this.redis.get(redisKeys.byUserCode(this.model, userCode));
      return id ? this.find(id) : undefined;
    });
  }

  consume(id: string): Promise<void> {
    return guardStore(async () => {
      const grantId = this.grantable ? await this.grantIdOf(id) : undefined;
      const keys = grantId
        ? [redisKeys.grantMember(this.model, id, grantId), redisKeys.grant(grantId), ...grantSets(grantId)]
        : Array<string>(5).fill(this.keyOf(id));
      const kept = consumedFieldsOf(this.model);
      const [outcome, ...dropped] = (await this.scripts.consume(keys, [
        epochSeconds(),
        grantId ? '1' : '0',
        grantId ? usedCapOf(this.model) : 0,
        grantId ? grantMemberName(this.model, id) : '',
        kept ? JSON.stringify(kept) : '',
      ])) as [number, ...string[]];
      if (outcome !== 1) throw alreadyConsumed(this.model);
      await this.deletePointers(dropped);
    });
  }

  destroy(id: string): Promise<void> {
    return guardStore(async () => {
      if (this.model === 'Grant') dropGrantOfRequest(id);
      const grantId = this.grantable ? await this.grantIdOf(id) : undefined;
      if (grantId) {
        await this.scripts.destroyGrantMember([redisKeys.grantMember(this.model, id, grantId), ...grantSets(grantId)], [grantMemberName(this.model, id)]);
        await this.redis.del(redisKeys.record(this.model, id));
        this.knownGrants.forget(this.model, id);
        return;
      }
      const key = this.keyOf(id);
      if (!HAS_LOOKUP_INDEX.has(this.model)) {
        await this.redis.del(key);
        return;
      }
      const { payload } = await readRecord(this.redis, key, { model: this.model, id });
      await this.redis.del(key);
      if (this.model === 'Session' && payload?.uid) await this.deleteIndexIfPointsTo(redisKeys.sessionByUid(payload.uid), id);
      if (payload?.userCode) await this.deleteIndexIfPointsTo(redisKeys.byUserCode(this.model, payload.userCode), id);
    });
  }

  revokeByGrantId(grantId: string): Promise<void> {
    return guardStore(async () => {
      dropGrantOfRequest(grantId);
      await this.scripts.revokeGrantMembers(grantSets(grantId), []);
    });
  }

  private keyOf(id: string): string {
    return this.model === 'Grant' ? redisKeys.grant(id) : redisKeys.record(this.model, id);
  }

  private async grantIdOf(id: string): Promise<string | undefined> {
    const known = this.knownGrants.get(this.model, id);
    if (known) return known;
    const { grantId } = await readRecord(this.redis, redisKeys.record(this.model, id), { model: this.model, id });
    if (!grantId) return undefined;
    this.knownGrants.remember(this.model, id, grantId);
    return grantId;
  }

  /** Records dropped by a grant's caps leave a pointer behind in another slot; it goes too. */
  private async deletePointers(droppedKeys: string[]): Promise<void> {
    const pointers = droppedKeys.map(pointerOfGrantMember).filter((key): key is string => key !== undefined);
    await Promise.all(pointers.map((pointer) => this.redis.del(pointer)));
  }

  /**
   * The keys finding a record by another value than its id, sent with the record (before it exists
   * they read as absent); undefined when the record has none (tokens, codes: no promise to make).
   */
  private writeLookUpKeys(id: string, payload: AdapterPayload, ttl: number): Promise<unknown> | undefined {
    const bySessionUid = this.model === 'Session' && payload.uid ? this.setString(redisKeys.sessionByUid(payload.uid), id, ttl) : undefined;
    const byUserCode = payload.userCode ? this.setString(redisKeys.byUserCode(this.model, payload.userCode), id, ttl) : undefined;
    return bySessionUid && byUserCode ? Promise.all([bySessionUid, byUserCode]) : bySessionUid ?? byUserCode;
  }

  /** One string with its lifetime (a record, a pointer, a look-up), in one command. */
  private async setString(key: string, value: string, ttl: number): Promise<void> {
    if (ttl) await this.redis.set(key, value, 'EX', ttl);
    else await this.redis.set(key, value);
  }

  private async deleteIndexIfPointsTo(key: string, id: string): Promise<void> {
    if ((await this.redis.get(key)) === id) await this.redis.del(key);
  }
}

/** `slotMigrationWaitMs`: how long a script may wait for a Redis Cluster slot that is moving. */
export function createRedisAdapterFactory(redis: RedisConnection, slotMigrationWaitMs = DEFAULT_SLOT_MIGRATION_WAIT_MS): AdapterFactory {
  const scripts = defineScripts(redis, slotMigrationWaitMs);
  const knownGrants = new KnownGrants();
  return (model: string) => new RedisAdapter(model, redis, scripts, knownGrants);
}
