import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { redisKeys } from '../../../src/storage/redis-keys.js';
import { digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { attributeOf, authorize, controlLabelled, errorMessageOf, land, post, postAndLand, registerPartner, startJourneyServer, titleOf, type Page } from './journey-kit.js';

const CONTACT = { phone: '03-1234-5678', hours: { ja: '平日 9:00〜15:00', en: 'Weekdays 9:00–15:00 JST' } };
const INTERACTION_SECONDS = 600;

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startJourneyServer({ bank: { contact: CONTACT }, ttl: { interactionSeconds: INTERACTION_SECONDS } });
  client = await registerPartner(server);
});
afterAll(() => server.close());

const attemptsLeftOf = (html: string) => /<p class="attempts-left">([^<]*)<\/p>/.exec(html)?.[1];
const comparable = (html: string) =>
  html
    .replace(/\/interaction\/[^/"]+/g, '/interaction/UID')
    .replace(/name="csrf" value="[^"]*"/g, 'name="csrf" value="CSRF"')
    .replace(/(id="login-id"[^>]*) value="[^"]*"/, '$1 value="ID"')
    .replace(/この画面の有効期限：\d\d:\d\d/, 'この画面の有効期限：HH:MM');

async function wrongPasswords(loginId: string, count: number, locale?: 'en'): Promise<Page> {
  const { browser, page } = await authorize(server, client, locale ? { extra: { ui_locales: locale } } : {});
  let current = page;
  for (let i = 0; i < count; i++) current = await postAndLand(browser, current, 'login', { login_id: loginId, password: `wrong ${i}` });
  return current;
}

describe('a step in error (SPEC §3)', () => {
  it('keeps the login ID filled in, marks the fields invalid, points them at the message and focuses the first', async () => {
    const customer = await createCustomer(server);
    const page = await wrongPasswords(customer.loginId, 1);
    const loginId = controlLabelled(page.html, 'ログインID');
    const password = controlLabelled(page.html, 'ログインパスワード');
    expect(attributeOf(loginId, 'value')).toBe(customer.loginId);
    expect(attributeOf(password, 'value')).toBeUndefined();
    for (const field of [loginId, password]) {
      expect(attributeOf(field, 'aria-invalid')).toBe('true');
      expect(attributeOf(field, 'aria-describedby')).toBe('step-error');
    }
    expect(loginId).toMatch(/\sautofocus\b/);
    expect(password).not.toMatch(/\sautofocus\b/);
    expect(page.html).toMatch(/<div id="step-error" class="step-error"><p class="error-message" role="alert">ログインIDまたはログインパスワードが正しくありません。<\/p><\/div>/);
  });

  it('says so when two attempts and then one are left, the same for a login ID nobody holds', async () => {
    const customer = await createCustomer(server);
    const nobody = `nobody-${randomUUID()}`;
    expect(attemptsLeftOf((await wrongPasswords(customer.loginId, 2)).html)).toBeUndefined();
    const real = await wrongPasswords(customer.loginId, 1);
    const unknown = await wrongPasswords(nobody, 3);
    expect(attemptsLeftOf(real.html)).toBe('あと2回誤って入力されますと、アカウントがロックされ、ご利用いただけなくなります。');
    expect(comparable(unknown.html)).toBe(comparable(real.html));
    const lastReal = await wrongPasswords(customer.loginId, 1);
    const lastUnknown = await wrongPasswords(nobody, 1);
    expect(attemptsLeftOf(lastReal.html)).toBe('あと1回誤って入力されますと、アカウントがロックされ、ご利用いただけなくなります。');
    expect(comparable(lastUnknown.html)).toBe(comparable(lastReal.html));
    const lockedNow = await wrongPasswords(customer.loginId, 1);
    expect(attemptsLeftOf(lockedNow.html)).toBeUndefined();
    expect(errorMessageOf(lockedNow.html)).toBe('ログインIDまたはログインパスワードが正しくありません。');
  });

  it('keeps the count of a login ID nobody holds as long as an account keeps its own: neither expires, so waiting does not tell them apart', async () => {
    const customer = await createCustomer(server);
    const nobody = `nobody-${randomUUID()}`;
    await wrongPasswords(customer.loginId, 3);
    const unknown = await wrongPasswords(nobody, 3);
    expect(attemptsLeftOf(unknown.html)).toBe('あと2回誤って入力されますと、アカウントがロックされ、ご利用いただけなくなります。');
    const redis = server.app.store.redis!;
    expect(await redis.ttl(redisKeys.customerFailures(customer.sub))).toBe(-1);
    const counts = redisKeys.unknownLoginIdFailures();
    expect(await redis.hget(counts, createHash('sha256').update(nobody).digest('base64url'))).toBe('3');
    expect(await redis.ttl(counts)).toBe(-1);
    // and no counter of the kind written before, which lapsed after a day
    expect(await redis.keys('renkei:{c:unknown-*')).toEqual([]);
  });

  it('warns on the digit challenge too, in English', async () => {
    const customer = await createCustomer(server);
    for (let i = 0; i < 2; i++) await server.app.lockout.recordFailure(customer.sub);
    const { browser, page } = await authorize(server, client, { extra: { ui_locales: 'en' } });
    const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    const right = digitsFor(customer, digits.html);
    const fields = Object.fromEntries(Object.entries(right).map(([name, digit]) => [name, String((Number(digit) + 1) % 10)]));
    const wrong = await postAndLand(browser, digits, 'digits', fields);
    expect(wrong.response.status).toBe(401);
    expect(attemptsLeftOf(wrong.html)).toBe('2 more incorrect entries will lock your account.');
    const inputs = [...wrong.html.matchAll(/<input type="text" id="digit-\d+"[^>]*>/g)].map((m) => m[0]);
    expect(inputs).toHaveLength(3);
    for (const input of inputs) expect(attributeOf(input, 'aria-invalid')).toBe('true');
    expect(inputs[0]).toMatch(/\sautofocus\b/);
  });
});

describe('the locked page (SPEC §3)', () => {
  it.each([
    ['ja', 'このアカウントはロックされているため、ご利用いただけません。ロックの解除は、下記のお問い合わせ先までご連絡ください。', CONTACT.hours.ja],
    ['en', 'This account is locked and cannot be used. To unlock it, please contact us as shown below.', CONTACT.hours.en],
  ] as const)('is final in %s: no form, how to unlock, the contact from config', async (locale, message, hours) => {
    const customer = await createCustomer(server);
    await server.app.customers.setStatus(customer.sub, 'locked');
    const { browser, page } = await authorize(server, client, { extra: { ui_locales: locale } });
    const answered = await post(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    const locked = await land(browser, answered);
    expect(locked.response.status).toBe(403);
    expect(locked.html).toContain(`<html lang="${locale}">`);
    expect(errorMessageOf(locked.html)).toBe(message);
    // nothing to try again: the only form is 連携先に戻る, a GET to the partner carrying hidden fields
    expect(locked.html.replace(/<form class="return-to-partner" method="get" action="https:\/\/partner\.example\/callback">(<input type="hidden"[^>]*>)*<div class="actions"><button[^>]*>[^<]*<\/button><\/div><\/form>/, '')).not.toMatch(/<form\b|<input\b/);
    expect(locked.html).toContain(`<a href="tel:0312345678">${CONTACT.phone}</a>`);
    expect(locked.html).toContain(`<dd>${hours}</dd>`);
    // the お問い合わせ番号 staff trace the refusal by: the request id of the form's answer
    const reference = answered.headers.get('x-request-id')!;
    expect(locked.html).toContain(`<dt>${locale === 'ja' ? 'お問い合わせ番号' : 'Reference number'}</dt><dd><code>${reference}</code></dd>`);
    expect(titleOf(locked.html)).toBe(locale === 'ja' ? 'API連携認証（利用登録）' : 'API Connection Authentication (Registration)');
  });
});

describe('when the page expires (SPEC §3)', () => {
  it('says so in Japan time, from the interaction’s own expiry', async () => {
    const before = Date.now();
    const { page } = await authorize(server, client);
    const shown = /<p class="expires">この画面の有効期限：(\d\d:\d\d)<\/p>/.exec(page.html)?.[1];
    const jst = (at: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    const expiry = before + INTERACTION_SECONDS * 1000;
    expect([jst(expiry - 60_000), jst(expiry), jst(expiry + 60_000)]).toContain(shown);
    const { page: english } = await authorize(server, client, { extra: { ui_locales: 'en' } });
    expect(english.html).toMatch(/<p class="expires">This page expires at \d\d:\d\d \(JST\)<\/p>/);
  });
});
