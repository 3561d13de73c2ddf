import { argon2, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { NewCustomer } from '../../../src/accounts/customer.js';
import { CustomerDirectory, CustomerError } from '../../../src/accounts/customer-directory.js';
import { UserNumberCipher } from '../../../src/accounts/user-number-cipher.js';
import { MemoryKeyValueStore } from '../../../src/storage/memory-key-value-store.js';
import { redisKeys } from '../../../src/storage/redis-keys.js';

const VALID: NewCustomer = {
  loginId: 'Alice',
  password: 'correct horse 42',
  userNumber: '4071938265',
  question: '母の旧姓は？',
  answer: 'ｽｽﾞｷ',
  name: '  山田 花子  ',
};

function setup() {
  const kv = new MemoryKeyValueStore();
  const cipher = new UserNumberCipher([{ kid: 'test', key: randomBytes(32) }]);
  return { kv, cipher, directory: new CustomerDirectory(kv, cipher) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CustomerError);
    return (error as CustomerError).code;
  }
  throw new Error('expected a CustomerError');
}

function weakHash(secret: string): Promise<string> {
  const salt = randomBytes(16);
  return new Promise((resolve, reject) => {
    argon2('argon2id', { message: Buffer.from(secret), nonce: salt, memory: 8192, passes: 1, parallelism: 1, tagLength: 32 }, (error, key) =>
      error
        ? reject(error)
        : resolve(`$argon2id$v=19$m=8192,t=1,p=1$${salt.toString('base64').replace(/=+$/, '')}$${key.toString('base64').replace(/=+$/, '')}`),
    );
  });
}

describe('CustomerDirectory.create', () => {
  it('stores an active customer under its canonical login ID', async () => {
    const { kv, directory } = setup();
    const customer = await directory.create(VALID);
    expect(customer).toMatchObject({ loginId: 'alice', name: '山田 花子', status: 'active', question: '母の旧姓は？', userNumberLength: 10 });
    expect(customer.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(await kv.get(redisKeys.loginId('alice'))).toBe(customer.sub);
    expect(await directory.findBySub(customer.sub)).toEqual(customer);
  });

  it('defaults the name to the login ID', async () => {
    const { directory } = setup();
    const withoutName: NewCustomer = { loginId: VALID.loginId, password: VALID.password, userNumber: VALID.userNumber, question: VALID.question, answer: VALID.answer };
    expect((await directory.create(withoutName)).name).toBe('alice');
  });

  it('accepts a full-width user number and stores its ASCII digits', async () => {
    const { directory } = setup();
    const customer = await directory.create({ ...VALID, userNumber: '１２３４５６' });
    expect(customer.userNumberLength).toBe(6);
    expect(directory.digitsMatch(customer, new Map([[1, '1'], [6, '6']]))).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['zero-width space', 'ali\u200bce'],
    ['bidi override', 'alice\u202e'],
    ['control character', 'alice\u0000'],
    ['U+FFFD', 'alice\ufffd'],
    ['65 characters', 'a'.repeat(65)],
    // dot segments: no URL path addresses them, so the CLI could never show, lock or delete the customer
    ['a dot', '.'],
    ['two dots', '..'],
    ['two full-width dots (NFKC: two dots)', '．．'],
  ])('refuses a login ID that is %s with customer.invalid_login_id', async (_name, loginId) => {
    const { directory } = setup();
    expect(await codeOf(directory.create({ ...VALID, loginId }))).toBe('customer.invalid_login_id');
  });

  it.each([
    ['letters', '12ab5678'],
    ['a hyphen', '1234-5678'],
    ['too few digits', '123'],
    ['too many digits', '1'.repeat(17)],
    ['nothing', ''],
  ])('refuses a user number with %s with customer.invalid_user_number', async (_name, userNumber) => {
    const { directory } = setup();
    expect(await codeOf(directory.create({ ...VALID, userNumber }))).toBe('customer.invalid_user_number');
  });

  it('refuses a short or unclean password with customer.invalid_password', async () => {
    const { directory } = setup();
    expect(await codeOf(directory.create({ ...VALID, password: 'short' }))).toBe('customer.invalid_password');
    expect(await codeOf(directory.create({ ...VALID, password: 'long enough\u200b' }))).toBe('customer.invalid_password');
  });

  it('refuses an empty or over-long question with customer.invalid_question', async () => {
    const { directory } = setup();
    expect(await codeOf(directory.create({ ...VALID, question: '  ' }))).toBe('customer.invalid_question');
    expect(await codeOf(directory.create({ ...VALID, question: 'あ'.repeat(101) }))).toBe('customer.invalid_question');
  });

  it('refuses an answer that is not 1–16 alphanumerics or kana with customer.invalid_answer', async () => {
    const { directory } = setup();
    expect(await codeOf(directory.create({ ...VALID, answer: '' }))).toBe('customer.invalid_answer');
    expect(await codeOf(directory.create({ ...VALID, answer: 'a'.repeat(17) }))).toBe('customer.invalid_answer');
    expect(await codeOf(directory.create({ ...VALID, answer: '鈴木' }))).toBe('customer.invalid_answer');
  });

  it('refuses a login ID that differs only in case, width or spaces with customer.duplicate_login_id', async () => {
    const { directory } = setup();
    const first = await directory.create(VALID);
    expect(await codeOf(directory.create({ ...VALID, loginId: ' ａｌｉｃｅ ' }))).toBe('customer.duplicate_login_id');
    expect(await codeOf(directory.create({ ...VALID, loginId: 'ALICE' }))).toBe('customer.duplicate_login_id');
    expect((await directory.findByLoginId('alice'))!.sub).toBe(first.sub);
  });

  it('never stores the password, the answer or the user number in clear', async () => {
    const { kv, directory } = setup();
    const customer = await directory.create(VALID);
    const stored = await kv.get(redisKeys.customer(customer.sub));
    expect(stored).toBeDefined();
    for (const json of [stored!, JSON.stringify(customer)]) {
      expect(json).not.toContain('correct horse 42');
      expect(json).not.toContain('ｽｽﾞｷ');
      expect(json).not.toContain('スズキ');
      expect(json).not.toContain('4071938265');
    }
    const record = JSON.parse(stored!) as Record<string, unknown>;
    expect(record.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(record.answerHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(record.userNumber).toMatchObject({ kid: 'test' });
  });
});

describe('CustomerDirectory lookups and checks', () => {
  it('finds a customer by a login ID written with other case or width', async () => {
    const { directory } = setup();
    const customer = await directory.create(VALID);
    expect((await directory.findByLoginId('ＡＬＩＣＥ'))?.sub).toBe(customer.sub);
    expect((await directory.findByLoginId(' alice '))?.sub).toBe(customer.sub);
    expect(await directory.findByLoginId('bob')).toBeUndefined();
    expect(await directory.findByLoginId('ali\u200bce')).toBeUndefined();
    expect(await directory.findByLoginId('')).toBeUndefined();
    expect(await directory.findBySub('no-such-sub')).toBeUndefined();
  });

  it('verifies the password exactly', async () => {
    const { directory } = setup();
    const customer = await directory.create(VALID);
    expect(await directory.verifyPassword(customer, 'correct horse 42')).toBe(true);
    expect(await directory.verifyPassword(customer, 'Correct horse 42')).toBe(false);
    expect(await directory.verifyPassword(customer, 'wrong password')).toBe(false);
  });

  it('verifies the answer after NFKC and case folding, half-width kana equal to full-width', async () => {
    const { directory } = setup();
    const customer = await directory.create(VALID);
    expect(await directory.verifyAnswer(customer, 'ｽｽﾞｷ')).toBe(true);
    expect(await directory.verifyAnswer(customer, 'スズキ')).toBe(true);
    expect(await directory.verifyAnswer(customer, 'サトウ')).toBe(false);
    expect(await directory.verifyAnswer(customer, '')).toBe(false);
    expect(await directory.verifyAnswer(customer, 'スズ\u200bキ')).toBe(false);

    const latin = await directory.create({ ...VALID, loginId: 'bob', answer: 'Tokyo' });
    expect(await directory.verifyAnswer(latin, 'tokyo')).toBe(true);
    expect(await directory.verifyAnswer(latin, 'ＴＯＫＹＯ')).toBe(true);
    expect(await directory.verifyAnswer(latin, 'kyoto')).toBe(false);
  });

  it('checks digits of the sealed user number', async () => {
    const { directory } = setup();
    const customer = await directory.create(VALID);
    expect(directory.digitsMatch(customer, new Map([[1, '4'], [4, '1'], [10, '5']]))).toBe(true);
    expect(directory.digitsMatch(customer, new Map([[1, '4'], [4, '2'], [10, '5']]))).toBe(false);
  });

  it('upgrades a password hash made with weaker parameters after a successful check only', async () => {
    const { directory } = setup();
    const created = await directory.create(VALID);
    const weak = await weakHash('correct horse 42');
    await directory.save({ ...created, passwordHash: weak });
    const customer = (await directory.findBySub(created.sub))!;

    expect(await directory.verifyPassword(customer, 'wrong password')).toBe(false);
    expect((await directory.findBySub(created.sub))!.passwordHash).toBe(weak);

    expect(await directory.verifyPassword(customer, 'correct horse 42')).toBe(true);
    const upgraded = (await directory.findBySub(created.sub))!.passwordHash;
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await directory.verifyPassword({ ...customer, passwordHash: upgraded }, 'correct horse 42')).toBe(true);
  });

  it('changes the status and records the last login', async () => {
    const { directory } = setup();
    const customer = await directory.create(VALID);
    await directory.setStatus(customer.sub, 'locked');
    expect((await directory.findBySub(customer.sub))!.status).toBe('locked');
    await directory.recordLogin(customer.sub, 1_700_000_000_000);
    expect((await directory.findBySub(customer.sub))!).toMatchObject({ status: 'locked', lastLoginAt: 1_700_000_000_000 });
  });

  it('records a login without writing back a record read before an operator\'s change', async () => {
    const { directory } = setup();
    const customer = await directory.create(VALID);
    const login = directory.recordLogin(customer.sub, 1_700_000_000_000);
    await directory.setStatus(customer.sub, 'locked');
    await login;
    expect((await directory.findBySub(customer.sub))!).toMatchObject({ status: 'locked', lastLoginAt: 1_700_000_000_000 });
    await directory.recordLogin('no-such-customer', 1);
    expect(await directory.findBySub('no-such-customer')).toBeUndefined();
  });
});
