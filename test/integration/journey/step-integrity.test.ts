import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackParams, csrfOf, positionsOf } from '../../support/browserless.js';
import { digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import {
  auditEvents,
  authorize,
  ClientBrowser,
  exchangeCode,
  expectNoInternals,
  expectPageHeaders,
  land,
  post,
  postAndLand,
  registerPartner,
  startJourneyServer,
  TEXT,
  titleOf,
  uidOf,
  uidPath,
  type Page,
} from './journey-kit.js';
import { returnForm } from './no-dead-ends-kit.js';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startJourneyServer();
  client = await registerPartner(server);
});
afterAll(() => server.close());

/** Every position of the 利用者番号, right: whatever positions are asked, these answer them. */
const allDigits = (customer: TestCustomer) => Object.fromEntries([...customer.userNumber].map((digit, i) => [`digit_${i + 1}`, digit]));

/** A new authorization taken through the login, the 利用者番号 and the 追加認証 to the consent. */
async function toConsent(customer: TestCustomer, scope?: string) {
  const { browser, state, verifier, page: login } = await authorize(server, client, scope ? { scope } : {});
  const digits = await postAndLand(browser, login, 'login', { login_id: customer.loginId, password: customer.password });
  const additional = await postAndLand(browser, digits, 'digits', digitsFor(customer, digits.html));
  const consent = await postAndLand(browser, additional, 'additional', { answer: customer.answer });
  return { browser, state, verifier, login, additional, consent };
}

/** Asserts a 303 back to this interaction's current step, and lands there. */
async function expectSentBack(browser: ClientBrowser, page: Page, response: Response): Promise<Page> {
  expect(response.status).toBe(303);
  expect(new URL(response.headers.get('location')!, server.issuer).pathname).toBe(uidPath(page));
  return land(browser, response);
}

/** Audit events about one interaction. */
const eventsOf = (page: Page) => server.logs.events().filter((line) => line.interaction_id === uidOf(page)).map((line) => line.event);

/** An error page; a form's is reached through the redirect its answer is (Post/Redirect/Get). */
async function expectErrorPage(response: Response): Promise<string> {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  const html = await response.text();
  expectPageHeaders(response, html);
  expectNoInternals(html);
  expect(html).toContain('API連携を続けられません');
  return html;
}

describe('skipping, replaying and reordering steps (SPEC §4)', () => {
  it('sends a step posted before its turn back to the current step, changing nothing', async () => {
    const customer = await createCustomer(server);
    const { browser, state, verifier, page: login } = await authorize(server, client);

    for (const [step, fields] of [['digits', allDigits(customer)], ['additional', { answer: customer.answer }], ['consent', {}]] as const) {
      const back = await expectSentBack(browser, login, await post(browser, login, step, fields));
      expect(titleOf(back.html)).toBe(TEXT.loginTitle);
    }
    expect(eventsOf(login)).toEqual([]);
    expect(await server.app.lockout.failuresSinceSuccess(customer.sub)).toBe(0);
    expect(await server.app.grants.listForCustomer(customer.sub)).toEqual([]);

    const digits = await postAndLand(browser, login, 'login', { login_id: customer.loginId, password: customer.password });
    const positions = positionsOf(digits.html);
    for (const [step, fields] of [['additional', { answer: customer.answer }], ['consent', {}]] as const) {
      const back = await expectSentBack(browser, digits, await post(browser, digits, step, fields));
      expect(positionsOf(back.html)).toEqual(positions);
    }

    const additional = await postAndLand(browser, digits, 'digits', digitsFor(customer, digits.html));
    expect(additional.html).toContain('追加認証入力');
    const back = await expectSentBack(browser, additional, await post(browser, additional, 'consent', {}));
    expect(back.html).toContain('追加認証入力');
    expect(await server.app.grants.listForCustomer(customer.sub)).toEqual([]);
    expect(eventsOf(login)).not.toContain('login.success');

    const consent = await postAndLand(browser, additional, 'additional', { answer: customer.answer });
    expect(titleOf(consent.html)).toBe(TEXT.consentTitle);
    const end = await postAndLand(browser, consent, 'consent', {});
    const params = callbackParams(end.url);
    expect(params.get('state')).toBe(state);
    expect((await exchangeCode(server, client, params.get('code')!, verifier)).status).toBe(200);
  });

  it('keeps the digit positions on reload and when the login form is posted again after it passed', async () => {
    const customer = await createCustomer(server);
    const other = await createCustomer(server, { userNumber: '2718281828' });
    const { browser, page: login } = await authorize(server, client);
    const digits = await postAndLand(browser, login, 'login', { login_id: customer.loginId, password: customer.password });
    const positions = positionsOf(digits.html);
    expect(positions).toHaveLength(3);

    for (let i = 0; i < 3; i++) {
      const reloaded = await land(browser, await browser.get(uidPath(digits)));
      expect(reloaded.response.status).toBe(200);
      expect(positionsOf(reloaded.html)).toEqual(positions);
    }

    const again = await expectSentBack(browser, digits, await post(browser, login, 'login', { login_id: customer.loginId, password: customer.password }));
    expect(positionsOf(again.html)).toEqual(positions);
    const wrong = await expectSentBack(browser, digits, await post(browser, login, 'login', { login_id: customer.loginId, password: 'wrong password' }));
    expect(positionsOf(wrong.html)).toEqual(positions);
    expect(await server.app.lockout.failuresSinceSuccess(customer.sub)).toBe(0);
    // someone else's credentials posted into this interaction do not switch the customer
    await expectSentBack(browser, digits, await post(browser, login, 'login', { login_id: other.loginId, password: other.password }));
    expect(eventsOf(login).filter((e) => e === 'login.failure')).toEqual([]);

    const next = await postAndLand(browser, digits, 'digits', digitsFor(customer, digits.html));
    expect(next.html).toContain('追加認証入力');
    expect(auditEvents(server, 'additional_auth.required', { interaction_id: uidOf(login) })[0]).toMatchObject({ sub: customer.sub });
  });
});

describe('interactions bound to the browser, and CSRF', () => {
  it('answers a tampered interaction uid with an error page (no stack trace), and the real interaction goes on', async () => {
    const customer = await createCustomer(server);
    const { browser, page: login } = await authorize(server, client);
    const uid = uidOf(login);
    const tampered = `${uid.slice(0, -1)}${uid.endsWith('A') ? 'B' : 'A'}`;

    await expectErrorPage(await browser.get(`/interaction/${tampered}`));
    await expectErrorPage(await browser.post(`/interaction/${tampered}/login`, { csrf: csrfOf(login.html), login_id: customer.loginId, password: customer.password }));
    await expectErrorPage(await browser.get(`/interaction/${encodeURIComponent('../../etc/passwd')}`));
    expect(auditEvents(server, 'login.success', { sub: customer.sub })).toEqual([]);

    const current = await land(browser, await browser.get(uidPath(login)));
    expect(titleOf(current.html)).toBe(TEXT.loginTitle);
    const digits = await postAndLand(browser, current, 'login', { login_id: customer.loginId, password: customer.password });
    expect(positionsOf(digits.html)).toHaveLength(3);
  });

  it('refuses another browser (or no browser) the interaction, even with its URL and CSRF token', async () => {
    const customer = await createCustomer(server);
    const { browser, page: login } = await authorize(server, client);
    const stranger = new ClientBrowser(server.issuer);
    await authorize(server, client, { browser: stranger }); // a session and interaction of its own

    await expectErrorPage(await stranger.get(uidPath(login)));
    await expectErrorPage(await stranger.post(`${uidPath(login)}/login`, { csrf: csrfOf(login.html), login_id: customer.loginId, password: customer.password }));
    await expectErrorPage(await new ClientBrowser(server.issuer).post(`${uidPath(login)}/login`, { csrf: csrfOf(login.html), login_id: customer.loginId, password: customer.password }));
    expect(eventsOf(login)).toEqual([]);

    const still = await land(browser, await browser.get(uidPath(login)));
    expect(titleOf(still.html)).toBe(TEXT.loginTitle);
  });

  it('answers a wrong or missing CSRF token with an error page, checks nothing and counts no failure', async () => {
    const customer = await createCustomer(server);
    const { browser, page: login } = await authorize(server, client);
    const csrf = csrfOf(login.html);
    expect(csrf.length).toBeGreaterThanOrEqual(16);

    await expectErrorPage((await browser.follow(await post(browser, login, 'login', { login_id: customer.loginId, password: 'wrong password' }, `${csrf}x`))).response);
    await expectErrorPage((await browser.follow(await post(browser, login, 'login', { login_id: customer.loginId, password: 'wrong password' }, ''))).response);
    await expectErrorPage((await browser.follow(await browser.post(`${uidPath(login)}/login`, { login_id: customer.loginId, password: 'wrong password' }))).response);
    await expectErrorPage((await browser.follow(await post(browser, login, 'login', { login_id: customer.loginId, password: customer.password }, 'forged'))).response);
    await expectErrorPage(await post(browser, login, 'abort', {}, 'forged'));
    expect(eventsOf(login)).toEqual([]);
    expect(await server.app.lockout.failuresSinceSuccess(customer.sub)).toBe(0);

    // the right password with a forged token did not log in; nor do wrong digits with one count
    const stillLogin = await land(browser, await browser.get(uidPath(login)));
    expect(titleOf(stillLogin.html)).toBe(TEXT.loginTitle);
    const digits = await postAndLand(browser, stillLogin, 'login', { login_id: customer.loginId, password: customer.password });
    const wrongDigits = Object.fromEntries(positionsOf(digits.html).map((p) => [`digit_${p}`, String((Number(customer.userNumber[p - 1]) + 1) % 10)]));
    await expectErrorPage((await browser.follow(await post(browser, digits, 'digits', wrongDigits, 'forged'))).response);
    expect(await server.app.lockout.failuresSinceSuccess(customer.sub)).toBe(0);
    expect(eventsOf(login)).not.toContain('digits.failure');
  });
});

describe('double submission of 許可する', () => {
  it('keeps the pass of the digits when the right digits are posted twice at once: both go on to the next step', async () => {
    for (let round = 0; round < 4; round++) {
      const customer = await createCustomer(server);
      const { browser, page } = await authorize(server, client);
      const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
      const answers = digitsFor(customer, digits.html);
      const [first, second] = await Promise.all([post(browser, digits, 'digits', answers), post(browser, digits, 'digits', answers)]);
      for (const response of [first, second]) {
        const next = await land(browser, response);
        expect(next.html).toContain('追加認証入力');
      }
      expect(auditEvents(server, 'digits.failure', { sub: customer.sub })).toEqual([]);
      // the interaction is past the digits for good: a reload shows the additional step
      const reloaded = await land(browser, await browser.get(uidPath(digits)));
      expect(reloaded.html).toContain('追加認証入力');
    }
  });

  it('sends Back from the consent to the login\'s screens (a finished interaction) on to the consent', async () => {
    const customer = await createCustomer(server);
    const { browser, login: page, consent } = await toConsent(customer);
    expect(titleOf(consent.html)).toBe(TEXT.consentTitle);
    expect(uidOf(consent)).not.toBe(uidOf(page));

    const back = await browser.get(uidPath(page));
    expect(back.status).toBe(303);
    expect(new URL(back.headers.get('location')!, server.issuer).pathname).toBe(uidPath(consent));
    expect(titleOf((await land(browser, back)).html)).toBe(TEXT.consentTitle);
    // another browser holds no such pointer: the gone interaction is an error page as before
    const stranger = await new ClientBrowser(server.issuer).get(uidPath(page));
    expect(stranger.status).toBe(400);

    // after 許可する the partner has its code: Back to either screen says the connection is complete
    const end = await postAndLand(browser, consent, 'consent', {});
    expect(callbackParams(end.url).get('code')).toBeTruthy();
    for (const path of [uidPath(consent), uidPath(page)]) {
      const again = await land(browser, await browser.get(path));
      expect(again.response.status).toBe(200);
      expect(titleOf(again.html)).toBe('API連携の手続きは完了しています');
      expect(again.html).toContain('<p>テスト家計簿アプリとの連携の手続きは完了しています。テスト家計簿アプリの画面にお戻りください。</p>');
      expect(again.html).toContain('>連携先に戻る</button>');
    }
  });

  it('says a cancelled flow\'s screens, opened again (Back after 中止する), were cancelled: 連携先に戻る answers access_denied again, never login_required', async () => {
    const { browser, page, state } = await authorize(server, client);
    const cancelled = await land(browser, await post(browser, page, 'abort', {}));
    expect(callbackParams(cancelled.url).get('error')).toBe('access_denied');
    const again = await land(browser, await browser.get(uidPath(page)));
    expect([again.response.status, titleOf(again.html)]).toEqual([200, 'API連携を中止しました']);
    expect(returnForm(again.html)?.fields).toMatchObject({ error: 'access_denied', state });
    // another browser holds nothing of it: the gone interaction is an error page as before
    expect((await new ClientBrowser(server.issuer).get(uidPath(page))).status).toBe(400);
  });

  it('sends a form of a finished interaction, posted again from a stale tab, on to where the flow went (the completed page), changing nothing', async () => {
    const customer = await createCustomer(server);
    const { browser, additional: current, consent } = await toConsent(customer);
    const end = await postAndLand(browser, consent, 'consent', {});
    expect(callbackParams(end.url).get('code')).toBeTruthy();

    for (const [stale, step] of [[consent, 'consent'], [consent, 'abort'], [current, 'additional']] as const) {
      const again = await post(browser, stale, step, step === 'additional' ? { answer: customer.answer } : {});
      expect([step, again.status, new URL(again.headers.get('location') ?? '/', server.issuer).pathname]).toEqual([step, 303, uidPath(stale)]);
      expect(titleOf((await land(browser, again)).html)).toBe('API連携の手続きは完了しています');
    }
    expect(await server.app.grants.listForCustomer(customer.sub)).toHaveLength(1);
  });

  it('answers two concurrent consents with the same redirect: one grant, one code', async () => {
    const customer = await createCustomer(server);
    const { browser, state, verifier, consent: current } = await toConsent(customer, 'openid accounts transactions');
    expect(titleOf(current.html)).toBe(TEXT.consentTitle);

    const [first, second] = await Promise.all([post(browser, current, 'consent', {}), post(browser, current, 'consent', {})]);
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    const location = first.headers.get('location')!;
    expect(second.headers.get('location')).toBe(location);

    const end = await land(browser, first);
    const params = callbackParams(end.url);
    expect(params.get('state')).toBe(state);
    expect(params.get('code')).toBeTruthy();
    const tokens = await exchangeCode(server, client, params.get('code')!, verifier);
    expect(tokens.status).toBe(200);

    const replay = await land(browser, await browser.get(location));
    expect(replay.url.startsWith(server.issuer) ? null : callbackParams(replay.url).get('code')).toBeNull();

    const grants = await server.app.grants.listForCustomer(customer.sub);
    expect(grants).toHaveLength(1);
    expect(grants[0]!.clientId).toBe(client.clientId);
    expect(auditEvents(server, 'consent.granted', { sub: customer.sub })).toHaveLength(1);
  });
});
