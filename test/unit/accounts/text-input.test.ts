import { describe, expect, it } from '@jest/globals';
import { canonicalLoginId, isCleanText, isValidAnswer, loginIdAsKeyedBefore, normalizeAnswer, normalizeDigits } from '../../../src/accounts/text-input.js';

describe('canonicalLoginId', () => {
  it('applies NFKC, trims and case-folds, so full-width and upper case equal the plain form', () => {
    expect(canonicalLoginId('ＵＳＥＲ１')).toBe('user1');
    expect(canonicalLoginId('ＵＳＥＲ１')).toBe(canonicalLoginId('user1'));
    expect(canonicalLoginId('User1')).toBe('user1');
    expect(canonicalLoginId('  Alice  ')).toBe('alice');
    expect(canonicalLoginId(' ａｌｉｃｅ ')).toBe('alice');
    expect(canonicalLoginId('\u3000Alice\u3000')).toBe('alice'); // ideographic spaces
    expect(canonicalLoginId('ﾔﾏﾀﾞ')).toBe('ヤマダ'); // half-width kana compose to full-width
  });

  it('folds case fully, not only to lower case: ß and ẞ as ss, final sigma, long s, micro sign', () => {
    expect(canonicalLoginId('Straße')).toBe('strasse');
    expect(canonicalLoginId('STRAẞE')).toBe('strasse');
    expect(canonicalLoginId('STRASSE')).toBe('strasse');
    expect(canonicalLoginId('ΟΔΥΣΣΕΥΣ')).toBe(canonicalLoginId('οδυσσευς'));
    expect(canonicalLoginId('ſam')).toBe('sam');
    expect(canonicalLoginId('µ1')).toBe(canonicalLoginId('Μ1'));
  });

  it('is its own canonical form for every single code point it accepts', () => {
    const unstable: string[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const once = canonicalLoginId(`a${String.fromCodePoint(cp)}`);
      if (once !== undefined && canonicalLoginId(once) !== once) unstable.push(cp.toString(16));
    }
    expect(unstable).toEqual([]);
  });

  it('names the form an ID was keyed in before full case folding only when it differs', () => {
    expect(loginIdAsKeyedBefore('Straße')).toBe('straße');
    expect(loginIdAsKeyedBefore('Alice')).toBeUndefined();
    expect(loginIdAsKeyedBefore('user\u200b')).toBeUndefined();
  });

  it('keeps distinct IDs distinct', () => {
    expect(canonicalLoginId('user1')).not.toBe(canonicalLoginId('user2'));
    expect(canonicalLoginId('a.b')).toBe('a.b');
  });

  it.each([
    ['NUL', 'user\u0000'],
    ['tab', 'us\ter'],
    ['line feed', 'user\n1'],
    ['carriage return', 'user\r1'],
    ['DEL', 'user\u007f'],
    ['C1 control (NEL)', 'user\u0085'],
    ['zero-width space', 'us\u200ber'],
    ['zero-width joiner', 'us\u200der'],
    ['word joiner', 'us\u2060er'],
    ['byte-order mark', '\ufeffuser'],
    ['bidi override RLO', 'user\u202e1'],
    ['bidi mark RLM', 'user\u200f'],
    ['bidi isolate RLI', 'user\u2067'],
    ['Arabic letter mark (bidi control)', 'user\u061c1'],
    ['U+FFFD (invalid UTF-8)', 'user\ufffd'],
    ['variation selector', 'user\ufe0f'],
    ['Hangul filler', 'user\u3164'],
    ['combining grapheme joiner', 'us\u034fer'],
    ['Mongolian vowel separator', 'us\u180eer'],
    ['tag character', 'user\u{e0041}'],
    ['private-use character', 'user\ue000'],
    ['lone surrogate', 'user\ud800'],
    ['unassigned code point', 'user\u{10ffff}'],
  ])('refuses input containing %s', (_name, raw) => {
    expect(canonicalLoginId(raw)).toBeUndefined();
  });

  it('refuses empty, blank and over-long IDs', () => {
    expect(canonicalLoginId('')).toBeUndefined();
    expect(canonicalLoginId('   ')).toBeUndefined();
    expect(canonicalLoginId('\u3000')).toBeUndefined();
    expect(canonicalLoginId('a'.repeat(64))).toBe('a'.repeat(64));
    expect(canonicalLoginId('a'.repeat(65))).toBeUndefined();
  });
});

describe('isCleanText', () => {
  it('accepts ordinary Japanese and ASCII text', () => {
    expect(isCleanText('山田 太郎')).toBe(true);
    expect(isCleanText('correct horse battery staple!')).toBe(true);
  });

  it('refuses control, zero-width, bidi and replacement characters', () => {
    for (const bad of ['\u0001', '\u001f', '\u009f', '\u200b', '\u200c', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '\ufffd']) {
      expect(isCleanText(`a${bad}b`)).toBe(false);
    }
  });
});

describe('normalizeDigits', () => {
  it('turns full-width digits into ASCII digits and leaves ASCII digits alone', () => {
    expect(normalizeDigits('１２３')).toBe('123');
    expect(normalizeDigits('０９８７６５')).toBe('098765');
    expect(normalizeDigits('4567')).toBe('4567');
    expect(normalizeDigits('1２3')).toBe('123');
  });

  it.each([
    ['a circled digit', '①'],
    ['a mathematical bold digit', '𝟏'],
    ['a superscript digit', '¹'],
    ['a subscript digit', '₁'],
    ['an Arabic-Indic digit', '١'],
    ['a Devanagari digit', '१'],
    ['a digit with spaces around it', ' 1 '],
    ['a full-width digit with an ideographic space', '\u3000１'],
    ['a kanji numeral', '一'],
    ['a fraction', '½'],
  ])('does not turn %s into an ASCII digit', (_name, raw) => {
    expect(normalizeDigits(raw)).not.toMatch(/^[0-9]+$/);
  });
});

describe('normalizeAnswer', () => {
  it('applies NFKC and case folding', () => {
    expect(normalizeAnswer('ＡＢＣ')).toBe('abc');
    expect(normalizeAnswer('ABC')).toBe('abc');
    expect(normalizeAnswer('abc')).toBe('abc');
    expect(normalizeAnswer('ＡＢＣ')).toBe(normalizeAnswer('abc'));
    expect(normalizeAnswer(' Tokyo ')).toBe('tokyo');
  });

  it('makes half-width kana equal to full-width kana, voiced marks included', () => {
    expect(normalizeAnswer('ｱｵ')).toBe('アオ');
    expect(normalizeAnswer('ｶﾞｯｺｳ')).toBe(normalizeAnswer('ガッコウ'));
    expect(normalizeAnswer('ﾊﾟﾝ')).toBe('パン');
  });

  it('does not merge different answers', () => {
    expect(normalizeAnswer('アオ')).not.toBe(normalizeAnswer('アカ'));
    expect(normalizeAnswer('abc')).not.toBe(normalizeAnswer('abd'));
  });
});

describe('isValidAnswer', () => {
  it.each(['abc', 'ABC', 'ＡＢＣ', 'tokyo2020', 'あおぞら', 'アオゾラ', 'ｱｵｿﾞﾗ', 'ラーメン', '1', 'a'.repeat(16), 'ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰ'])(
    'accepts %s',
    (answer) => {
      expect(isValidAnswer(answer)).toBe(true);
    },
  );

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['17 characters', 'a'.repeat(17)],
    ['17 full-width characters', 'ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱ'],
    ['inner space', 'a b'],
    ['punctuation', 'abc!'],
    ['kanji', '東京'],
    ['zero-width space', 'ab\u200bc'],
    ['bidi override', 'ab\u202ec'],
    ['control character', 'ab\u0007c'],
    ['U+FFFD', 'ab\ufffd'],
  ])('refuses %s', (_name, answer) => {
    expect(isValidAnswer(answer)).toBe(false);
  });
});
