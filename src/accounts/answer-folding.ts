import { normalizeAnswer } from './text-input.js';

// Katakana ァ…ヶ and the iteration marks ヽヾ sit 0x60 above their hiragana; ヷ…ヺ have none and stay.
const KATAKANA = /[\u30A1-\u30F6\u30FD\u30FE]/gu;

/**
 * The one form secret answers are hashed and compared in (SPEC §3): NFKC, trimmed, case-folded,
 * katakana folded to hiragana, so `アオ`, `ｱｵ` and `あお` are one answer, as are `ABC` and `ａｂｃ`.
 */
export function foldAnswer(raw: string): string {
  return normalizeAnswer(raw).replace(KATAKANA, (c) => String.fromCodePoint(c.codePointAt(0)! - 0x60));
}

/**
 * The forms an answer hashed before kana folding may have been stored in, newest first: the
 * folded form, then (when it differs) the older NFKC + case folding only.
 */
export function answerCandidates(raw: string): string[] {
  const folded = foldAnswer(raw);
  const legacy = normalizeAnswer(raw);
  return legacy === folded ? [folded] : [folded, legacy];
}
