import { randomUUID } from 'node:crypto';
import type { Announce, ChangeChannels } from '../storage/change-channels.js';
import type { KeyValueStore } from '../storage/key-value-store.js';
import { redisKeys } from '../storage/redis-keys.js';
import { answerCandidates, foldAnswer } from './answer-folding.js';
import type { Customer, NewCustomer } from './customer.js';
import { CustomerStandings, type CustomerStanding } from './customer-standings.js';
import { hashSecret, verifySecret } from './secret-hash.js';
import { canonicalLoginId, isCleanText, isValidAnswer, loginIdAsKeyedBefore, normalizeDigits } from './text-input.js';
import type { UserNumberCipher } from './user-number-cipher.js';

export type CustomerProblem = 'customer.invalid_login_id' | 'customer.invalid_user_number' | 'customer.invalid_password'
  | 'customer.invalid_question' | 'customer.invalid_answer' | 'customer.duplicate_login_id';

/** A customer could not be created or changed; `code` is stable, `message` for operators. */
export class CustomerError extends Error {
  constructor(
    readonly code: CustomerProblem,
    message: string,
  ) {
    super(message);
    this.name = 'CustomerError';
  }
}

const USER_NUMBER = /^\d{4,16}$/;

/** A customer record as stored (redisKeys.customer), for a caller that read it with other keys of the customer. */
export const parseCustomer = (json: string | undefined): Customer | undefined => (json ? (JSON.parse(json) as Customer) : undefined);

/** The customer directory: records, login-ID index, and secret checks. */
export class CustomerDirectory {
  private readonly standings = new CustomerStandings();
  /** every write of a record is announced, so that no instance serves a standing it held before */
  readonly changed: Announce;

  /** `changes`: where every instance hears of changed records; without it, standings are always read */
  constructor(
    private readonly kv: KeyValueStore,
    private readonly cipher: UserNumberCipher,
    changes?: ChangeChannels,
  ) {
    this.changed = changes ? changes.listen(redisKeys.customerChangesChannel(), this.standings) : async () => {};
  }

  /**
   * Whether the customer may be served, for every token and userinfo request: held in-process
   * while changes are heard, so that a lock or deletion on any instance takes effect at once.
   */
  standingOf(sub: string): Promise<CustomerStanding | undefined> {
    return this.standings.read(sub, () => this.findBySub(sub));
  }

  async findBySub(sub: string): Promise<Customer | undefined> {
    return parseCustomer(await this.kv.get(redisKeys.customer(sub)));
  }

  /** The customer's login ID, for audit lines (never a secret); undefined once the customer is gone. */
  async loginIdOf(sub: string): Promise<string | undefined> {
    return (await this.findBySub(sub))?.loginId;
  }

  async findByLoginId(rawLoginId: string): Promise<Customer | undefined> {
    const loginId = canonicalLoginId(rawLoginId);
    if (!loginId) return undefined;
    const before = loginIdAsKeyedBefore(rawLoginId);
    const sub = (await this.kv.get(redisKeys.loginId(loginId))) ?? (before === undefined ? undefined : await this.kv.get(redisKeys.loginId(before)));
    return sub ? this.findBySub(sub) : undefined;
  }

  async create(input: NewCustomer): Promise<Customer> {
    const loginId = canonicalLoginId(input.loginId);
    if (!loginId) throw new CustomerError('customer.invalid_login_id', 'login ID must be 1–64 printable characters, not . or .. alone');
    const userNumber = normalizeDigits(input.userNumber);
    if (!USER_NUMBER.test(userNumber)) throw new CustomerError('customer.invalid_user_number', 'user number must be 4–16 digits');
    if (input.password.length < 8 || !isCleanText(input.password)) {
      throw new CustomerError('customer.invalid_password', 'password must be at least 8 printable characters');
    }
    if (!input.question.trim() || input.question.length > 100 || !isCleanText(input.question)) {
      throw new CustomerError('customer.invalid_question', 'secret question must be 1–100 printable characters');
    }
    if (!isValidAnswer(input.answer)) {
      throw new CustomerError('customer.invalid_answer', 'secret answer must be 1–16 alphanumerics or kana');
    }

    const sub = randomUUID();
    if (!(await this.kv.setIfAbsent(redisKeys.loginId(loginId), sub))) {
      throw new CustomerError('customer.duplicate_login_id', `login ID ${loginId} is already registered`);
    }
    const customer: Customer = {
      sub,
      loginId,
      name: input.name?.trim() || loginId,
      status: 'active',
      createdAt: Date.now(),
      passwordHash: await hashSecret(input.password),
      userNumber: this.cipher.seal(userNumber, sub),
      userNumberLength: userNumber.length,
      question: input.question.trim(),
      answerHash: await hashSecret(foldAnswer(input.answer)),
    };
    await this.save(customer);
    await this.kv.hashSet(redisKeys.customerList(), sub, loginId);
    return customer;
  }

  async list(): Promise<Customer[]> {
    const subs = Object.keys(await this.kv.hashGetAll(redisKeys.customerList()));
    const customers = await Promise.all(subs.map((sub) => this.findBySub(sub)));
    return customers.filter((c): c is Customer => c !== undefined).sort((a, b) => a.createdAt - b.createdAt);
  }

  async setPassword(sub: string, password: string): Promise<void> {
    if (password.length < 8 || !isCleanText(password)) {
      throw new CustomerError('customer.invalid_password', 'password must be at least 8 printable characters');
    }
    const customer = await this.findBySub(sub);
    if (customer) await this.save({ ...customer, passwordHash: await hashSecret(password) });
  }

  /** Removes the record, its login ID and what hangs off it (the caller revokes the grants first). */
  async delete(customer: Customer): Promise<void> {
    await this.kv.delete(redisKeys.customer(customer.sub), redisKeys.customerFailures(customer.sub), redisKeys.customerAnswerDue(customer.sub), redisKeys.customerGrants(customer.sub));
    await this.kv.delete(redisKeys.loginId(customer.loginId));
    await this.kv.hashDelete(redisKeys.customerList(), customer.sub);
    await this.changed([customer.sub]);
  }

  async save(customer: Customer): Promise<void> {
    await this.kv.set(redisKeys.customer(customer.sub), JSON.stringify(customer));
    await this.changed([customer.sub]);
  }

  async setStatus(sub: string, status: Customer['status']): Promise<void> {
    const customer = await this.findBySub(sub);
    if (customer) await this.save({ ...customer, status });
  }

  /** Checks the password; upgrades a hash made with weaker parameters on success. */
  async verifyPassword(customer: Customer, password: string): Promise<boolean> {
    const { ok, needsRehash } = await verifySecret(password, customer.passwordHash);
    if (ok && needsRehash) await this.save({ ...customer, passwordHash: await hashSecret(password) });
    return ok;
  }

  /**
   * Compares in the folded form; an answer hashed before kana folding is tried in its old form
   * too, and stored again in the folded form once it matches (as is one made with weaker parameters).
   */
  async verifyAnswer(customer: Customer, answer: string): Promise<boolean> {
    if (!isValidAnswer(answer)) return false;
    const [folded, ...older] = answerCandidates(answer);
    const current = await verifySecret(folded!, customer.answerHash);
    if (current.ok) {
      if (current.needsRehash) await this.save({ ...customer, answerHash: await hashSecret(folded!) });
      return true;
    }
    for (const form of older) {
      if ((await verifySecret(form, customer.answerHash)).ok) {
        await this.save({ ...customer, answerHash: await hashSecret(folded!) });
        return true;
      }
    }
    return false;
  }

  digitsMatch(customer: Customer, answers: ReadonlyMap<number, string>): boolean {
    return this.cipher.digitsMatch(customer.userNumber, customer.sub, answers);
  }

  /** In place: a status or password an operator changes meanwhile is never written back over. */
  async recordLogin(sub: string, at: number): Promise<void> {
    await this.kv.setJsonInteger(redisKeys.customer(sub), 'lastLoginAt', at);
  }
}
