// Control characters, invisible and bidi-control characters, line/paragraph separators, and
// U+FFFD (what invalid UTF-8 decodes to).
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFFD]/u;

/** true when the text holds nothing that could smuggle a second meaning past a comparison */
export function isCleanText(value: string): boolean {
  return !FORBIDDEN.test(value);
}

// What a login ID may not hold besides: every other invisible or unassigned code point (format
// characters, default-ignorables such as variation selectors and Hangul fillers, private use,
// lone surrogates), so two IDs that look alike are one ID or refused.
const NOT_IN_LOGIN_ID = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}]/u;

/**
 * Unicode full case folding as far as it matters for comparing: beside what toLowerCase does,
 * ß/ẞ → ss, ς → σ, ſ → s, µ → μ and the Greek symbol forms (lower, upper, lower again; stable
 * when applied twice, checked over every code point in text-input.test.ts).
 */
function foldCase(text: string): string {
  return text.toLowerCase().toUpperCase().toLowerCase();
}

/** Login IDs are compared and keyed in one form: NFKC, trimmed, case-folded (NFKC again after the folding). */
export function canonicalLoginId(raw: string): string | undefined {
  if (!isCleanText(raw) || NOT_IN_LOGIN_ID.test(raw)) return undefined;
  const canonical = foldCase(raw.normalize('NFKC').trim()).normalize('NFKC');
  if (canonical.length === 0 || canonical.length > 64 || !isCleanText(canonical) || NOT_IN_LOGIN_ID.test(canonical)) return undefined;
  // no URL path addresses a dot segment: a customer with such an ID could never be shown, locked or deleted
  if (canonical === '.' || canonical === '..') return undefined;
  return canonical;
}

/**
 * The form a login ID was keyed in before full case folding (NFKC, trimmed, toLowerCase), when
 * it differs from canonicalLoginId's (an ID with ß, ς, ſ…): a customer registered then is still found.
 */
export function loginIdAsKeyedBefore(raw: string): string | undefined {
  const canonical = canonicalLoginId(raw);
  if (canonical === undefined) return undefined;
  const before = raw.normalize('NFKC').trim().toLowerCase();
  return before === canonical ? undefined : before;
}

const FULL_WIDTH_ZERO = 0xff10;

/**
 * ASCII digits, with full-width digits (`１２３`, as an IME types them) turned into ASCII.
 * Nothing else is touched: no NFKC (which would let `①`, `𝟏` or `¹` pass as `1`), no trimming,
 * so callers that test the result against /^[0-9]+$/ accept exactly ASCII and full-width digits.
 */
export function normalizeDigits(raw: string): string {
  return raw.replace(/[\uFF10-\uFF19]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - FULL_WIDTH_ZERO + 0x30));
}

/** Secret answers: NFKC then case folding, so ＡＢＣ, abc and ABC match, and ｱｵ matches アオ. */
export function normalizeAnswer(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

const ANSWER_PATTERN = /^[0-9a-z\u3041-\u3096\u309D\u309E\u30A1-\u30FA\u30FC-\u30FE]{1,16}$/u;

/** Up to 16 alphanumerics or kana (full- or half-width) after normalisation. */
export function isValidAnswer(raw: string): boolean {
  return isCleanText(raw) && ANSWER_PATTERN.test(normalizeAnswer(raw));
}
