import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { Locale } from '../../src/shared/locale.js';
import type { KeyValueStore } from '../../src/storage/key-value-store.js';
import { redisKeys } from '../../src/storage/redis-keys.js';
import type { LoginProgress } from '../progress.js';

export const ACCOUNT_COOKIE = 'renkei_account';
const PATH = '/account';

/** The self-service session: its own short login (password + digits), separate from any OAuth flow. */
export interface AccountSession extends LoginProgress {
  readonly id: string;
  readonly flash?: string;
  /** when the session runs out unless saved again (ms), as of its last save: the pages say it */
  readonly expiresAt?: number;
}

export class AccountSessions {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlSeconds: number,
  ) {}

  /** This browser's session; a new one speaks `locale` (the request's choice) from then on. */
  async current(ctx: Context, locale: Locale): Promise<AccountSession> {
    const id = ctx.cookies.get(ACCOUNT_COOKIE, { signed: true });
    if (id) {
      const json = await this.kv.get(redisKeys.accountSession(id));
      if (json) return JSON.parse(json) as AccountSession;
    }
    return this.start(ctx, { locale });
  }

  /** A new id for a new privilege level (against session fixation); the old record is dropped. */
  async start(ctx: Context, state: Omit<AccountSession, 'id' | 'csrf'>, previous?: AccountSession): Promise<AccountSession> {
    if (previous) await this.kv.delete(redisKeys.accountSession(previous.id));
    const session = await this.save({ ...state, id: randomBytes(24).toString('base64url'), csrf: randomBytes(24).toString('base64url') });
    ctx.cookies.set(ACCOUNT_COOKIE, session.id, { signed: true, httpOnly: true, sameSite: 'strict', secure: ctx.secure, path: PATH, overwrite: true });
    return session;
  }

  /** Stores the session for another `ttlSeconds`; the session as stored, with its new expiry. */
  async save(session: AccountSession): Promise<AccountSession> {
    const saved = { ...session, expiresAt: Date.now() + this.ttlSeconds * 1000 };
    await this.kv.set(redisKeys.accountSession(session.id), JSON.stringify(saved), this.ttlSeconds);
    return saved;
  }

  async end(ctx: Context, session: AccountSession): Promise<void> {
    await this.kv.delete(redisKeys.accountSession(session.id));
    ctx.cookies.set(ACCOUNT_COOKIE, null, { path: PATH, overwrite: true });
  }
}
