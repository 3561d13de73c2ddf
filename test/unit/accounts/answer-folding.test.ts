import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { answerCandidates, foldAnswer } from '../../../src/accounts/answer-folding.js';
import { CustomerDirectory } from '../../../src/accounts/customer-directory.js';
import { hashSecret, verifySecret } from '../../../src/accounts/secret-hash.js';
import { normalizeAnswer } from '../../../src/accounts/text-input.js';
import { UserNumberCipher } from '../../../src/accounts/user-number-cipher.js';
import { MemoryKeyValueStore } from '../../../src/storage/memory-key-value-store.js';

function directory(): CustomerDirectory {
  return new CustomerDirectory(new MemoryKeyValueStore(), new UserNumberCipher([{ kid: 'test', key: randomBytes(32) }]));
}

const NEW_CUSTOMER = { loginId: 'kana', password: 'correct horse 42', userNumber: '4071938265', question: '好きな色は？' };

describe('foldAnswer (SPEC §3: NFKC, case folding, katakana → hiragana)', () => {
  it('makes アオ, ｱｵ and あお one answer', () => {
    expect(foldAnswer('アオ')).toBe('あお');
    expect(foldAnswer('ｱｵ')).toBe('あお');
    expect(foldAnswer('あお')).toBe('あお');
  });

  it('folds voiced half-width kana, small kana, the iteration marks and the prolonged sound mark as a reader would', () => {
    expect(foldAnswer('ｽｽﾞｷ')).toBe('すずき');
    expect(foldAnswer('ヴァイオリン')).toBe('ゔぁいおりん');
    expect(foldAnswer('ヽヾ')).toBe('ゝゞ');
    expect(foldAnswer('コーヒー')).toBe('こーひー');
  });

  it('folds letters of either case and width, and digits of either width', () => {
    expect(foldAnswer('ＴｏＫＹＯ１２')).toBe('tokyo12');
    expect(foldAnswer(' Blue ')).toBe('blue');
  });

  it('lists the older form to try only when it differs', () => {
    expect(answerCandidates('アオ')).toEqual(['あお', 'アオ']);
    expect(answerCandidates('あお')).toEqual(['あお']);
    expect(answerCandidates('Blue')).toEqual(['blue']);
  });
});

describe('CustomerDirectory.verifyAnswer with kana folding', () => {
  it('accepts アオ, ｱｵ and あお for an answer registered in any of them', async () => {
    const customers = directory();
    for (const [i, registered] of ['アオ', 'ｱｵ', 'あお'].entries()) {
      const customer = await customers.create({ ...NEW_CUSTOMER, loginId: `kana-${i}`, answer: registered });
      for (const typed of ['アオ', 'ｱｵ', 'あお']) expect(await customers.verifyAnswer(customer, typed)).toBe(true);
      expect(await customers.verifyAnswer(customer, 'アカ')).toBe(false);
    }
  });

  it('still verifies an answer hashed before kana folding, and stores it again in the folded form', async () => {
    const customers = directory();
    const created = await customers.create({ ...NEW_CUSTOMER, answer: 'あお' });
    // as the directory hashed answers before this change: NFKC + case folding only
    const legacy = { ...created, answerHash: await hashSecret(normalizeAnswer('アオ')) };
    await customers.save(legacy);

    expect(await customers.verifyAnswer(legacy, 'ｱｵ')).toBe(true);
    const upgraded = (await customers.findBySub(created.sub))!;
    expect(upgraded.answerHash).not.toBe(legacy.answerHash);
    expect((await verifySecret('あお', upgraded.answerHash)).ok).toBe(true);
    expect(await customers.verifyAnswer(upgraded, 'あお')).toBe(true);
  });

  it('leaves a legacy hash alone when the answer is wrong', async () => {
    const customers = directory();
    const created = await customers.create({ ...NEW_CUSTOMER, answer: 'あお' });
    const legacy = { ...created, answerHash: await hashSecret(normalizeAnswer('アオ')) };
    await customers.save(legacy);
    expect(await customers.verifyAnswer(legacy, 'アカ')).toBe(false);
    expect((await customers.findBySub(created.sub))!.answerHash).toBe(legacy.answerHash);
  });
});
