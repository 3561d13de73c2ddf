import { describe, expect, it } from '@jest/globals';
import { renderErrorPage } from '../../../src/shared/error-page.js';

const CONTACT = { phone: '0120-111-222', hours: { ja: '平日 9:00〜17:00', en: 'Weekdays 9:00–17:00 JST' } };
const RETURN_TO = { partnerName: 'テスト家計簿アプリ', url: 'https://partner.example/callback?error=access_denied&state=s%201&iss=https%3A%2F%2Fbank.example' };

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('renderErrorPage (SPEC §3: a sentence, the code and the お問い合わせ番号; never developer text)', () => {
  it('shows the code and the お問い合わせ番号, never the description a developer wrote', () => {
    const html = renderErrorPage({ status: 400, locale: 'ja', bankName: 'れんけい信用組合', error: 'invalid_request', description: 'interaction session not found', requestId: 'req-1' });
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('<p class="error-message" role="alert">リクエストの内容に誤りがあるため');
    expect(text(html)).toContain('エラーコード invalid_request');
    expect(text(html)).toContain('お問い合わせ番号 req-1');
    expect(html).not.toContain('interaction session not found');
  });

  it('shows the credit union’s contact in the customer’s language', () => {
    const ja = renderErrorPage({ status: 503, locale: 'ja', bankName: 'b', contact: CONTACT });
    expect(text(ja)).toContain('お問い合わせ先 電話番号 0120-111-222 受付時間 平日 9:00〜17:00');
    expect(ja).toContain('<a href="tel:0120111222">0120-111-222</a>');
    const en = renderErrorPage({ status: 503, locale: 'en', bankName: 'b', contact: CONTACT });
    expect(text(en)).toContain('Contact us Phone 0120-111-222 Hours Weekdays 9:00–17:00 JST');
  });

  it('says a request that took too long to arrive timed out (408)', () => {
    const ja = renderErrorPage({ status: 408, locale: 'ja', bankName: 'b' });
    expect(ja).toContain('<h1>時間切れになりました</h1>');
    expect(ja).toContain('リクエストの受信に時間がかかりすぎたため、処理を中断しました。お手数ですが、もう一度お試しください。');
    const en = renderErrorPage({ status: 408, locale: 'en', bankName: 'b' });
    expect(en).toContain('<h1>The request timed out</h1>');
    expect(en).toContain('Your request took too long to arrive, so we stopped. Please try again.');
  });

  it('says the Retry-After wait in words on 429 and 503 pages', () => {
    expect(renderErrorPage({ status: 429, locale: 'ja', bankName: 'b', retryAfterSeconds: 300 })).toContain('約5分後に、もう一度お試しください。');
    expect(renderErrorPage({ status: 429, locale: 'en', bankName: 'b', retryAfterSeconds: 300 })).toContain('Please try again in about 5 minutes.');
    expect(renderErrorPage({ status: 503, locale: 'ja', bankName: 'b', retryAfterSeconds: 30 })).toContain('約30秒後に、もう一度お試しください。');
    expect(renderErrorPage({ status: 503, locale: 'en', bankName: 'b', retryAfterSeconds: 7200 })).toContain('Please try again in about 2 hours.');
    expect(renderErrorPage({ status: 429, locale: 'ja', bankName: 'b' })).toContain('しばらく時間をおいてから');
  });

  it('offers 連携先に戻る / Return to {partner} as a GET form carrying the redirect’s parameters', () => {
    const ja = renderErrorPage({ status: 429, locale: 'ja', bankName: 'b', returnTo: RETURN_TO });
    expect(ja).toContain('<form class="return-to-partner" method="get" action="https://partner.example/callback">');
    expect(ja).toContain('<input type="hidden" name="error" value="access_denied"><input type="hidden" name="state" value="s 1"><input type="hidden" name="iss" value="https://bank.example">');
    expect(ja).toMatch(/<button type="submit" class="primary">連携先に戻る<\/button>/);
    const en = renderErrorPage({ status: 429, locale: 'en', bankName: 'b', returnTo: RETURN_TO });
    expect(en).toMatch(/<button type="submit" class="primary">Return to テスト家計簿アプリ<\/button>/);
    expect(renderErrorPage({ status: 429, locale: 'en', bankName: 'b' })).not.toContain('<form');
  });

  it('keeps a fragment answer in the GET form’s action (a browser keeps the action’s fragment), the registered query as fields', () => {
    const html = renderErrorPage({ status: 429, locale: 'ja', bankName: 'b', returnTo: { partnerName: 'P', url: 'https://partner.example/cb?tenant=7#error=access_denied&state=s&iss=https%3A%2F%2Fbank.example' } });
    expect(html).toContain('<form class="return-to-partner" method="get" action="https://partner.example/cb#error=access_denied&amp;state=s&amp;iss=https%3A%2F%2Fbank.example"><input type="hidden" name="tenant" value="7">');
  });

  it('names the locked and expired cases when told', () => {
    expect(renderErrorPage({ status: 403, locale: 'ja', bankName: 'b', reason: 'locked', contact: CONTACT })).toContain('<title>アカウントがロックされています</title>');
    expect(renderErrorPage({ status: 400, locale: 'en', bankName: 'b', reason: 'expired' })).toContain('<title>This page has expired</title>');
  });
});
