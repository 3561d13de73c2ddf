import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Customer } from '../../../src/accounts/customer.js';
import { CustomerDirectory } from '../../../src/accounts/customer-directory.js';
import { CustomerImporter } from '../../../src/accounts/customer-import.js';
import { HashPool } from '../../../src/accounts/hash-pool.js';
import { UserNumberCipher } from '../../../src/accounts/user-number-cipher.js';
import { keyValueBatchWrites, type BatchWrites } from '../../../src/storage/batch-writes.js';
import { MemoryKeyValueStore } from '../../../src/storage/memory-key-value-store.js';
import { redisKeys } from '../../../src/storage/redis-keys.js';

const PBKDF2 = '$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M';
const pool = new HashPool(2);
afterAll(() => pool.close());

function setup(wrap: (writes: BatchWrites) => BatchWrites = (w) => w) {
  const kv = new MemoryKeyValueStore();
  const cipher = new UserNumberCipher([{ kid: 't', key: randomBytes(32) }]);
  return { kv, cipher, directory: new CustomerDirectory(kv, cipher), importer: new CustomerImporter(wrap(keyValueBatchWrites(kv)), cipher, pool, () => 1_700_000_000_000) };
}

const fields = (loginId: string, extra: Record<string, unknown> = {}) => ({ login_id: loginId, user_number: '31415926', question: 'q', password_hash: PBKDF2, answer_hash: PBKDF2, ...extra });

describe('CustomerImporter (memory store)', () => {
  it('creates customers the directory finds, skips existing ones, and reports bad rows by line', async () => {
    const { importer, directory } = setup();
    const first = await importer.importBatch([{ line: 2, fields: fields('Ａlice') }, { line: 3, fields: fields('bob', { user_number: 'x' }) }], { update: false, dryRun: false });
    expect(first).toEqual({ created: 1, updated: 0, skipped: 0, invalid: [{ line: 3, reason: 'user_number: must be 4–16 digits' }], credentialsChanged: [], createdLoginIds: ['alice'], updatedLoginIds: [] });
    const alice = (await directory.findByLoginId('alice'))!;
    expect(alice).toMatchObject({ loginId: 'alice', name: 'alice', status: 'active', createdAt: 1_700_000_000_000, passwordHash: PBKDF2 });
    expect(await directory.verifyPassword(alice, 'password')).toBe(true);
    expect((await directory.findByLoginId('alice'))!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await directory.list()).toHaveLength(1);

    const again = await importer.importBatch([{ line: 2, fields: fields('alice') }], { update: false, dryRun: false });
    expect(again).toMatchObject({ created: 0, skipped: 1 });
  });

  it('--update keeps sub and status, and names customers whose credentials changed (not a name-only change)', async () => {
    const { importer, directory, cipher } = setup();
    await importer.importBatch([{ line: 1, fields: fields('carol') }, { line: 2, fields: fields('dave') }], { update: false, dryRun: false });
    const carol = (await directory.findByLoginId('carol'))!;
    await directory.setStatus(carol.sub, 'locked');
    const result = await importer.importBatch([
      { line: 1, fields: fields('carol', { name: '新しい名前' }) },
      { line: 2, fields: fields('dave', { user_number: '27182818' }) },
    ], { update: true, dryRun: false });
    expect(result).toMatchObject({ created: 0, updated: 2, skipped: 0 });
    expect(result.credentialsChanged.map((c) => c.loginId)).toEqual(['dave']);
    const after = (await directory.findByLoginId('carol'))! as Customer;
    expect(after).toMatchObject({ sub: carol.sub, status: 'locked', name: '新しい名前', userNumber: carol.userNumber });
    const dave = (await directory.findByLoginId('dave'))!;
    expect(cipher.open(dave.userNumber, dave.sub)).toBe('27182818');
  });

  it('hashes plain secrets on the pool, the answer in its folded form; a dry run writes nothing', async () => {
    const { importer, directory, kv } = setup();
    const dry = await importer.importBatch([{ line: 1, fields: fields('erin', { password_hash: undefined, password: 'plain password 1', answer_hash: undefined, answer: 'アオ' }) }], { update: false, dryRun: true });
    expect(dry).toMatchObject({ created: 1 });
    expect(await kv.hashGetAll(redisKeys.customerList())).toEqual({});
    await importer.importBatch([{ line: 1, fields: fields('erin', { password_hash: undefined, password: 'plain password 1', answer_hash: undefined, answer: 'アオ' }) }], { update: false, dryRun: false });
    const erin = (await directory.findByLoginId('erin'))!;
    expect(erin.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await directory.verifyPassword(erin, 'plain password 1')).toBe(true);
    expect(await directory.verifyAnswer(erin, 'あお')).toBe(true);
  });

  it('skips a row whose login ID another writer took between the read and the write', async () => {
    const { importer, kv, directory } = setup((writes) => ({
      ...writes,
      async createMany(entries) {
        await kv.set(redisKeys.loginId('frank'), 'someone-else');
        return writes.createMany(entries);
      },
    }));
    const result = await importer.importBatch([{ line: 1, fields: fields('frank') }, { line: 2, fields: fields('grace') }], { update: false, dryRun: false });
    expect(result).toMatchObject({ created: 1, skipped: 1 });
    expect((await directory.list()).map((c) => c.loginId)).toEqual(['grace']);
  });
});
