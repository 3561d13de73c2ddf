/**
 * 連携サービス管理 chooses its language as the authorization screens do (`?ui_locales=`, else
 * Accept-Language) and keeps it for its session; its login and digit steps are the journey's
 * (the login ID stays filled in, attempts left, the locked page with the contact), behind the same
 * form checks (429 with Retry-After in the session's language).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Browserless, csrfOf, positionsOf } from '../../support/browserless.js';
import { createCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { attributeOf, controlLabelled, land, randomIp, startJourneyServer, titleOf, type Page } from '../journey/journey-kit.js';
import { timeInJapan } from '../../../interactions/step-page.js';

const CONTACT = { phone: '03-1234-5678', hours: { ja: '平日 9:00〜15:00', en: 'Weekdays 9:00–15:00 JST' } };
const HOME = '/account/connections';

let server: TestServer;
beforeAll(async () => {
  server = await startJourneyServer({ bank: { contact: CONTACT }, throttle: { failuresPerIp: 6, windowSeconds: 120 } });
});
afterAll(() => server.close());

/** A browser of its own IP whose Accept-Language can change between requests. */
class Visitor extends Browserless {
  readonly ip = randomIp();
  constructor(public acceptLanguage: string) {
    super(server.issuer);
  }

  override request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = { 'accept-language': this.acceptLanguage, 'x-forwarded-for': this.ip, ...(init.headers as Record<string, string> | undefined) };
    return super.request(url, { ...init, headers });
  }

  async show(path = HOME): Promise<Page> {
    return land(this, await this.get(path));
  }

  /** Submits the page's (first) form with these fields and its CSRF token. */
  async submit(page: Page, fields: Record<string, string>): Promise<Page> {
    const action = /<form method="post" action="([^"]+)"/.exec(page.html)![1]!.replace(/&amp;/g, '&');
    return land(this, await this.post(action, { csrf: csrfOf(page.html), ...fields }));
  }
}

const langOf = (page: Page) => /<html lang="([^"]+)">/.exec(page.html)?.[1];

describe('連携サービス管理: one language for the session', () => {
  it('chooses by Accept-Language when the URL does not say, and keeps it for the session', async () => {
    const visitor = new Visitor('en-GB,en;q=0.9');
    const first = await visitor.show();
    expect([langOf(first), titleOf(first.html)]).toEqual(['en', 'Connected services']);
    visitor.acceptLanguage = 'ja';
    expect(langOf(await visitor.show())).toBe('en');
    const customer = await createCustomer(server);
    const failed = await visitor.submit(first, { login_id: customer.loginId, password: 'wrong' });
    expect(langOf(failed)).toBe('en');
    expect(failed.html).toContain('The login ID or login password is incorrect.');
    // the page the form was answered with is shown at the home address (Post/Redirect/Get), once:
    // opened again, the login as it stands, in the session's language
    expect(new URL(failed.url).pathname).toBe(HOME);
    const reopened = await visitor.show(new URL(failed.url).pathname + new URL(failed.url).search);
    expect([reopened.response.status, langOf(reopened), reopened.html.includes('The login ID or login password is incorrect.')]).toEqual([200, 'en', false]);
    // the form's own address (its action) opened: 405 in the page's language, with the contact
    const formAddress = await visitor.show(/<form method="post" action="([^"]+)"/.exec(first.html)![1]!.replace(/&amp;/g, '&'));
    expect([formAddress.response.status, formAddress.response.headers.get('allow'), langOf(formAddress)]).toEqual([405, 'POST', 'en']);
    expect(formAddress.html).toContain(`<dd>${CONTACT.hours.en}</dd>`);
    // there is no partner here: the page sends the customer to this page's start, as its button does
    expect(formAddress.html).toContain('The request is not valid, so we cannot continue. Please start again.');
    expect(formAddress.html).not.toContain('the service you came from');
    expect(formAddress.html).toContain('>Back to Connected services</button>');
    const unknown = await visitor.show(`${HOME}/nothing-here?ui_locales=en`);
    expect([unknown.response.status, titleOf(unknown.html)]).toEqual([404, 'Page not found']);
    expect(unknown.html).toContain('>Back to Connected services</button>');
  });

  it('?ui_locales= switches the session’s language, which later pages keep', async () => {
    const visitor = new Visitor('en');
    expect(langOf(await visitor.show(`${HOME}?ui_locales=ja`))).toBe('ja');
    expect(langOf(await visitor.show())).toBe('ja');
    const customer = await createCustomer(server);
    const page = await visitor.show();
    const digits = await visitor.submit(page, { login_id: customer.loginId, password: customer.password });
    expect([langOf(digits), titleOf(digits.html)]).toEqual(['ja', '連携サービス管理（利用者番号認証）']);
  });
});

describe('連携サービス管理: the journey’s login and digit steps', () => {
  it('keeps the login ID after a wrong password, marks the fields and warns when two attempts are left', async () => {
    const customer = await createCustomer(server);
    const visitor = new Visitor('ja');
    let page = await visitor.show();
    for (let i = 0; i < 3; i++) page = await visitor.submit(page, { login_id: customer.loginId, password: `wrong ${i}` });
    expect(page.response.status).toBe(401);
    const loginId = controlLabelled(page.html, 'ログインID');
    expect(attributeOf(loginId, 'value')).toBe(customer.loginId);
    expect(attributeOf(loginId, 'aria-invalid')).toBe('true');
    expect(attributeOf(loginId, 'aria-describedby')).toBe('step-error');
    expect(loginId).toContain(' autofocus');
    expect(attributeOf(controlLabelled(page.html, 'ログインパスワード'), 'value')).toBeUndefined();
    expect(page.html).toContain('あと2回誤って入力されますと、アカウントがロックされ、ご利用いただけなくなります。');
  });

  it('a locked account gets a final page with the credit union’s contact, no form to fill in, and the way back to its first page', async () => {
    const customer = await createCustomer(server);
    await server.app.customers.setStatus(customer.sub, 'locked');
    const visitor = new Visitor('en');
    const locked = await visitor.submit(await visitor.show(), { login_id: customer.loginId, password: customer.password });
    expect(locked.response.status).toBe(403);
    expect(locked.html).toContain('This account is locked and cannot be used. To unlock it, please contact us as shown below.');
    expect(locked.html).toContain(`<a href="tel:0312345678">${CONTACT.phone}</a>`);
    expect(locked.html).toContain(`<dd>${CONTACT.hours.en}</dd>`);
    // the お問い合わせ番号 is the request id of the form's answer (its access line is a POST)
    const reference = /<dt>Reference number<\/dt><dd><code>([0-9a-f-]{36})<\/code><\/dd>/.exec(locked.html)?.[1];
    expect(server.logs.events().find((line) => line.event === 'http.request' && line.request_id === reference)).toMatchObject({ method: 'POST', path: `${HOME}/login` });
    // no dead end (the journey's locked page returns to the partner; here there is none)
    expect(locked.html).toContain('<form class="back" method="get" action="/account/connections"><input type="hidden" name="ui_locales" value="en"><div class="actions"><button type="submit" class="primary">Back to Connected services</button></div></form>');
    expect(locked.html.match(/<form\b/g)).toHaveLength(1);
    expect(locked.html).not.toMatch(/<input(?![^>]*type="hidden")/);
  });

  it('wrong digits are the journey’s: the message, fields in error, and the lock on the last attempt', async () => {
    const customer = await createCustomer(server);
    const visitor = new Visitor('ja');
    let page = await visitor.submit(await visitor.show(), { login_id: customer.loginId, password: customer.password });
    const wrong = () => Object.fromEntries(positionsOf(page.html).map((p) => [`digit_${p}`, String((Number(customer.userNumber[p - 1]) + 1) % 10)]));
    page = await visitor.submit(page, wrong());
    expect(page.response.status).toBe(401);
    expect(page.html).toContain('入力された利用者番号が正しくありません。');
    expect(page.html).toMatch(/name="digit_\d+"[^>]* aria-invalid="true" aria-describedby="step-error" autofocus/);
    for (let i = 0; i < 2; i++) page = await visitor.submit(page, wrong());
    expect(page.html).toContain('あと2回誤って入力されますと、アカウントがロックされ、ご利用いただけなくなります。');
    for (let i = 0; i < 2; i++) page = await visitor.submit(page, wrong());
    expect(page.response.status).toBe(403);
    expect(page.html).toContain(`<dd>${CONTACT.hours.ja}</dd>`);
    // no digit form: the one form is the way back to the first page
    const formsOf = (html: string) => [...html.matchAll(/<form\b[^>]*>/g)].map((m) => m[0]);
    expect(formsOf(page.html)).toEqual(['<form class="back" method="get" action="/account/connections">']);
    expect(await server.app.customers.findBySub(customer.sub)).toMatchObject({ status: 'locked' });
    // the page opened again: still the final page, not the digit form
    const again = await visitor.show();
    expect([again.response.status, again.html.includes(`<dd>${CONTACT.hours.ja}</dd>`), formsOf(again.html)]).toEqual([403, true, ['<form class="back" method="get" action="/account/connections">']]);
  });

  it('its pages say when they expire, as the authorization screens do (the session\'s time, in Japan time)', async () => {
    const customer = await createCustomer(server);
    const visitor = new Visitor('ja');
    const ttlMs = server.app.settings.config.ttl.interactionSeconds * 1000;
    const around = () => [Date.now() + ttlMs - 60_000, Date.now() + ttlMs].map((at) => `この画面の有効期限：${timeInJapan(at)}`);
    const login = await visitor.show();
    expect(around()).toContain(/<p class="expires">([^<]+)<\/p>/.exec(login.html)?.[1]);
    const digits = await visitor.submit(login, { login_id: customer.loginId, password: customer.password });
    expect(around()).toContain(/<p class="expires">([^<]+)<\/p>/.exec(digits.html)?.[1]);
    const digitFields = Object.fromEntries(positionsOf(digits.html).map((p) => [`digit_${p}`, customer.userNumber[p - 1]!]));
    const list = await visitor.submit(digits, digitFields);
    expect(titleOf(list.html)).toBe('連携サービス管理');
    expect(around()).toContain(/<p class="expires">([^<]+)<\/p>/.exec(list.html)?.[1]);
    const english = await new Visitor('en').show();
    expect(english.html).toMatch(/<p class="expires">This page expires at \d\d:\d\d \(JST\)<\/p>/);
  });

  it('the digit step can be left: ログアウト ends the session and shows the login page with its message', async () => {
    const customer = await createCustomer(server);
    const visitor = new Visitor('ja');
    const digits = await visitor.submit(await visitor.show(), { login_id: customer.loginId, password: customer.password });
    expect(titleOf(digits.html)).toBe('連携サービス管理（利用者番号認証）');
    const logout = /<form method="post" action="(\/account\/connections\/logout[^"]*)">\s*<input type="hidden" name="csrf" value="([^"]+)">/.exec(digits.html);
    expect(logout).not.toBeNull();
    const out = await land(visitor, await visitor.post(logout![1]!.replace(/&amp;/g, '&'), { csrf: logout![2]! }));
    expect(titleOf(out.html)).toBe('連携サービス管理');
    expect(out.html).toContain('ログアウトしました');
    expect(out.html).toContain('name="password"');
  });

  it('a spent per-IP budget answers 429 with Retry-After, in the session’s language, with the way back to its first page', async () => {
    const customer = await createCustomer(server);
    const visitor = new Visitor('en');
    let page = await visitor.show();
    for (let i = 0; i < 6; i++) page = await visitor.submit(page, { login_id: customer.loginId, password: `wrong ${i}` });
    const throttled = await visitor.submit(page, { login_id: customer.loginId, password: customer.password });
    expect(throttled.response.status).toBe(429);
    expect(throttled.response.headers.get('retry-after')).toBe('120');
    expect(langOf(throttled)).toBe('en');
    expect(throttled.html).toContain('Please try again in about 2 minutes.');
    expect(throttled.html).toContain(`<dd>${CONTACT.hours.en}</dd>`);
    expect(throttled.html).toContain('<form class="back" method="get" action="/account/connections"><input type="hidden" name="ui_locales" value="en"><div class="actions"><button type="submit" class="primary">Back to Connected services</button></div></form>');
  });
});
