import { createHash, randomBytes } from 'node:crypto';
import type { KeyValueStore } from '../../storage/key-value-store.js';
import { redisKeys } from '../../storage/redis-keys.js';
import type { StaffActor, StaffRole } from './staff-roles.js';

/** A named staff credential as stored: never the token, only its digest. */
export interface StaffRecord {
  readonly name: string;
  readonly role: StaffRole;
  readonly createdAt: number;
  readonly createdBy: string;
  readonly expiresAt: number | null;
  readonly tokenDigest: string;
}

export interface StaffListing extends Omit<StaffRecord, 'tokenDigest'> {
  readonly lastUsedAt: number | null;
}

export type StaffProblem = 'staff.invalid_name' | 'staff.reserved_name' | 'staff.duplicate_name' | 'staff.not_found';

export class StaffError extends Error {
  constructor(
    readonly code: StaffProblem,
    message: string,
  ) {
    super(message);
    this.name = 'StaffError';
  }
}

export const STAFF_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const TOKEN_PREFIX = 'rks_';
const DAY_MS = 86_400_000;

/**
 * A staff token is 256 random bits, so nobody can guess it and a slow password hash (Argon2id)
 * would add nothing but latency to every admin request: a plain SHA-256 digest is enough for the
 * store to never hold a usable credential.
 */
const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Named staff credentials in the store (Redis in production), read on every request: a revoke
 * is seen by every instance at the next request, since nothing it decides on is cached in the
 * process (what verifiedRecently keeps serves /metrics only while the store does not answer).
 */
export class StaffDirectory {
  private readonly verified = new Map<string, { readonly actor: StaffActor; readonly at: number }>();

  constructor(
    private readonly kv: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: { name: string; role: StaffRole; expiresDays?: number; createdBy: string }): Promise<{ record: StaffRecord; token: string }> {
    if (!STAFF_NAME.test(input.name)) throw new StaffError('staff.invalid_name', 'name must be 1–64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit');
    if (input.name.toLowerCase() === 'bootstrap') throw new StaffError('staff.reserved_name', '"bootstrap" names RENKEI_ADMIN_TOKEN and cannot be given to a staff member');
    if (await this.kv.hashGet(redisKeys.staffMembers(), input.name)) throw new StaffError('staff.duplicate_name', `staff member ${input.name} already exists; revoke it first to issue a new credential`);
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const createdAt = this.now();
    const record: StaffRecord = {
      name: input.name,
      role: input.role,
      createdAt,
      createdBy: input.createdBy,
      expiresAt: input.expiresDays ? createdAt + input.expiresDays * DAY_MS : null,
      tokenDigest: digest(token),
    };
    const ttlSeconds = input.expiresDays ? input.expiresDays * 86_400 : undefined;
    await this.kv.set(redisKeys.staffToken(record.tokenDigest), record.name, ttlSeconds);
    await this.kv.hashSet(redisKeys.staffMembers(), record.name, JSON.stringify(record));
    return { record, token };
  }

  async list(): Promise<StaffListing[]> {
    const [members, lastUsed] = await Promise.all([this.kv.hashGetAll(redisKeys.staffMembers()), this.kv.hashGetAll(redisKeys.staffLastUsed())]);
    return Object.values(members)
      .map((json) => JSON.parse(json) as StaffRecord)
      .map(({ tokenDigest: _digest, ...record }) => ({ ...record, lastUsedAt: lastUsed[record.name] ? Number(lastUsed[record.name]) : null }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Removes the credential; the very next request that presents it is refused. */
  async revoke(name: string): Promise<StaffRecord> {
    const json = await this.kv.hashGet(redisKeys.staffMembers(), name);
    if (!json) throw new StaffError('staff.not_found', `staff member ${name} not found`);
    const record = JSON.parse(json) as StaffRecord;
    await this.kv.delete(redisKeys.staffToken(record.tokenDigest));
    await this.kv.hashDelete(redisKeys.staffMembers(), name);
    await this.kv.hashDelete(redisKeys.staffLastUsed(), name);
    return record;
  }

  /** The staff member a presented token belongs to, when it is current; records its use. */
  async authenticate(token: string): Promise<StaffActor | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const tokenDigest = digest(token);
    const actor = await this.currentHolder(tokenDigest);
    if (actor) this.verified.set(tokenDigest, { actor, at: this.now() });
    else this.verified.delete(tokenDigest);
    return actor;
  }

  /**
   * The staff member a token was verified as by this instance within `withinMs`, without the store
   * (which may be away): for reading /metrics through an outage only. Holds current credentials
   * alone (one a later check found revoked or expired is dropped), so it stays as small as the staff.
   */
  verifiedRecently(token: string, withinMs: number): StaffActor | undefined {
    const seen = this.verified.get(digest(token));
    return seen && this.now() - seen.at <= withinMs ? seen.actor : undefined;
  }

  private async currentHolder(tokenDigest: string): Promise<StaffActor | undefined> {
    const name = await this.kv.get(redisKeys.staffToken(tokenDigest));
    if (!name) return undefined;
    const json = await this.kv.hashGet(redisKeys.staffMembers(), name);
    if (!json) return undefined;
    const record = JSON.parse(json) as StaffRecord;
    const now = this.now();
    if (record.tokenDigest !== tokenDigest || (record.expiresAt !== null && record.expiresAt <= now)) return undefined;
    await this.kv.hashSet(redisKeys.staffLastUsed(), name, String(now));
    return { name: record.name, role: record.role };
  }
}
