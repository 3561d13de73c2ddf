import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { callbackParams, positionsOf } from '../../support/browserless.js';
import { logIntoConnections } from '../../support/connections.js';
import { completeJourney, digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import {
  auditEvents,
  authorize,
  ClientBrowser,
  errorMessageOf,
  expectNoInternals,
  expectPageHeaders,
  land,
  post,
  postAndLand,
  randomIp,
  registerPartner,
  startJourneyServer,
  TEXT,
  titleOf,
  uidOf,
  type Page,
} from './journey-kit.js';

/** Digits that are wrong at every asked position. */
function wrongDigits(customer: TestCustomer, html: string): Record<string, string> {
  return Object.fromEntries(positionsOf(html).map((p) => [`digit_${p}`, String((Number(customer.userNumber[p - 1]) + 1) % 10)]));
}

/** The page with the uid and CSRF token taken out, to compare two pages of different interactions. */
const comparable = (html: string) =>
  html
    .replace(/\/interaction\/[^/"]+/g, '/interaction/UID')
    .replace(/name="csrf" value="[^"]*"/g, 'name="csrf" value="CSRF"')
    // the login ID typed stays filled in, whichever it was
    .replace(/(id="login-id"[^>]*) value="[^"]*"/, '$1 value="ID"')
    .replace(/この画面の有効期限：\d\d:\d\d/, 'この画面の有効期限：HH:MM');

describe('login errors and lockout (SPEC §4), on a server whose per-IP budget does not interfere', () => {
  let server: TestServer;
  let client: TestClient;
  beforeAll(async () => {
    // real Argon2id: one test times a wrong password against an unknown login ID
    server = await startJourneyServer({ testFastHashing: false });
    client = await registerPartner(server);
  });
  afterAll(() => server.close());

  const status = async (sub: string) => (await server.app.customers.findBySub(sub))!.status;
  const failures = (sub: string) => server.app.lockout.failuresSinceSuccess(sub);

  async function wrongPasswords(customer: TestCustomer, count: number, browser?: ClientBrowser): Promise<Page> {
    const { browser: b, page } = await authorize(server, client, browser ? { browser } : {});
    let current = page;
    for (let i = 0; i < count; i++) {
      current = await postAndLand(b, current, 'login', { login_id: customer.loginId, password: `wrong password ${i}` });
      expect(current.response.status).toBe(401);
      expect(errorMessageOf(current.html)).toBe(TEXT.generic);
    }
    return current;
  }

  describe('one generic message', () => {
    it('answers a wrong password and an unknown login ID with the same status and the same page', async () => {
      const customer = await createCustomer(server);
      const { browser: b1, page: p1 } = await authorize(server, client);
      const wrongPassword = await postAndLand(b1, p1, 'login', { login_id: customer.loginId, password: 'not the password' });
      const { browser: b2, page: p2 } = await authorize(server, client);
      const unknownId = await postAndLand(b2, p2, 'login', { login_id: `nobody-${customer.loginId}`, password: customer.password });

      expect(wrongPassword.response.status).toBe(401);
      expect(unknownId.response.status).toBe(wrongPassword.response.status);
      expect(errorMessageOf(wrongPassword.html)).toBe(TEXT.generic);
      expect(errorMessageOf(unknownId.html)).toBe(TEXT.generic);
      expect(comparable(unknownId.html)).toBe(comparable(wrongPassword.html));
      expect(titleOf(unknownId.html)).toBe(TEXT.loginTitle);
      expect(auditEvents(server, 'login.failure', { interaction_id: uidOf(p2) })).toHaveLength(1);
    });

    it('takes about as long for an unknown login ID as for a wrong password (a hash is verified either way)', async () => {
      const customers = [await createCustomer(server), await createCustomer(server)];
      const { browser, page } = await authorize(server, client);
      const timed = async (loginId: string) => {
        const started = performance.now();
        const response = await post(browser, page, 'login', { login_id: loginId, password: 'not the password' });
        await response.text();
        // the page is kept for the GET it redirects to (form-answers.ts), the same for both
        expect(response.status).toBe(303);
        return performance.now() - started;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 6; i++) {
        known.push(await timed(customers[i % 2]!.loginId));
        unknown.push(await timed(`nobody-${i}-${customers[0]!.loginId}`));
      }
      // without the dummy verification an unknown ID answers in a few ms against tens of ms. The
      // fastest of each is compared: other work on the machine (the test run's other worker) only
      // ever adds time, and a burst of it landing on one side's samples moved the medians apart
      expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...known) * 0.4);
    });

    it('makes as many store round trips for an unknown login ID as for a wrong password', async () => {
      const customer = await createCustomer(server);
      const { browser, page } = await authorize(server, client);
      const kv = server.app.store.kv;
      const counted = ['get', 'getMany', 'increment', 'incrementBoundedField', 'set', 'delete'] as const;
      const roundTrips = async (loginId: string) => {
        const spies = counted.map((method) => jest.spyOn(kv, method));
        try {
          const response = await post(browser, page, 'login', { login_id: loginId, password: 'not the password' });
          await response.text();
          expect(response.status).toBe(303);
          const [get, getMany, increment, incrementBoundedField, set, del] = spies.map((spy) => spy.mock.calls.length);
          // an account's count and the count of an ID nobody holds are each one script
          return [get, getMany, increment! + incrementBoundedField!, set, del];
        } finally {
          for (const spy of spies) spy.mockRestore();
        }
      };
      expect(await roundTrips(`nobody-${customer.loginId}`)).toEqual(await roundTrips(customer.loginId));
    });

    it('never says which digit was wrong', async () => {
      const customer = await createCustomer(server);
      const { browser, page } = await authorize(server, client);
      const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
      const [first] = positionsOf(digits.html);
      const oneWrong = { ...digitsFor(customer, digits.html), [`digit_${first}`]: String((Number(customer.userNumber[first! - 1]) + 1) % 10) };
      const afterOneWrong = await postAndLand(browser, digits, 'digits', oneWrong);
      const afterAllWrong = await postAndLand(browser, afterOneWrong, 'digits', wrongDigits(customer, afterOneWrong.html));

      expect(afterOneWrong.response.status).toBe(401);
      expect(afterAllWrong.response.status).toBe(401);
      const message = errorMessageOf(afterOneWrong.html);
      expect(message).toBe('入力された利用者番号が正しくありません。');
      expect(errorMessageOf(afterAllWrong.html)).toBe(message);
      expect(message).not.toMatch(/[0-9０-９]|桁/);
      const events = auditEvents(server, 'digits.failure', { sub: customer.sub });
      expect(events).toHaveLength(2);
      for (const event of events) expect(JSON.stringify(event)).not.toMatch(/position|digit_\d/);
    });
  });

  describe('lockout at lockout.maxFailures (5) consecutive failures of any factor', () => {
    it('locks after 3 wrong passwords and 2 wrong digit answers, shows the locked message only after the correct password, and unlocks', async () => {
      const customer = await createCustomer(server);
      const browser = new ClientBrowser(server.issuer);
      const afterPasswords = await wrongPasswords(customer, 3, browser);
      expect(await failures(customer.sub)).toBe(3);

      const digits = await postAndLand(browser, afterPasswords, 'login', { login_id: customer.loginId, password: customer.password });
      expect(positionsOf(digits.html)).toHaveLength(3);
      const fourth = await postAndLand(browser, digits, 'digits', wrongDigits(customer, digits.html));
      expect(fourth.response.status).toBe(401);
      expect(await status(customer.sub)).toBe('active');
      expect(auditEvents(server, 'account.locked', { sub: customer.sub })).toHaveLength(0);

      const fifth = await postAndLand(browser, fourth, 'digits', wrongDigits(customer, fourth.html));
      expect(fifth.response.status).toBeGreaterThanOrEqual(400);
      expect(await status(customer.sub)).toBe('locked');
      const locked = auditEvents(server, 'account.locked', { sub: customer.sub });
      expect(locked).toHaveLength(1);
      expect(locked[0]).toMatchObject({ login_id: customer.loginId, client_id: client.clientId, ip: browser.ip });

      // the interaction cannot be finished with the right digits now
      const rightDigits = await postAndLand(browser, fifth, 'digits', digitsFor(customer, fifth.html));
      expect(rightDigits.response.status).toBeGreaterThanOrEqual(400);
      expect(rightDigits.url.startsWith(server.issuer)).toBe(true);
      expect(auditEvents(server, 'login.success', { sub: customer.sub })).toHaveLength(0);

      // a new attempt: a wrong password still gets the generic message, the right one the locked message
      const { browser: b2, page } = await authorize(server, client);
      const wrong = await postAndLand(b2, page, 'login', { login_id: customer.loginId, password: 'still wrong' });
      expect(errorMessageOf(wrong.html)).toBe(TEXT.generic);
      expect(wrong.html).not.toContain(TEXT.lockedPrefix);
      const right = await postAndLand(b2, wrong, 'login', { login_id: customer.loginId, password: customer.password });
      expect(right.response.status).toBeGreaterThanOrEqual(400);
      expect(errorMessageOf(right.html)).toMatch(new RegExp(`^${TEXT.lockedPrefix}`));
      expect(positionsOf(right.html)).toHaveLength(0);
      expect(titleOf(right.html)).toBe(TEXT.loginTitle);

      await server.app.lockout.unlock(customer.sub);
      const journey = await completeJourney(server.issuer, client, customer, { browser: new ClientBrowser(server.issuer) });
      expect(callbackParams(journey.end.url).get('code')).toBeTruthy();
    });

    it('counts wrong secret answers with the other factors', async () => {
      const customer = await createCustomer(server);
      const browser = new ClientBrowser(server.issuer);
      const afterPasswords = await wrongPasswords(customer, 2, browser);
      const digits = await postAndLand(browser, afterPasswords, 'login', { login_id: customer.loginId, password: customer.password });
      const retry = await postAndLand(browser, digits, 'digits', wrongDigits(customer, digits.html));
      const additional = await postAndLand(browser, retry, 'digits', digitsFor(customer, retry.html));
      expect(additional.html).toContain('追加認証入力');

      const fourth = await postAndLand(browser, additional, 'additional', { answer: 'みどり' });
      expect(fourth.response.status).toBe(401);
      expect(await status(customer.sub)).toBe('active');
      const fifth = await postAndLand(browser, fourth, 'additional', { answer: 'きいろ' });
      expect(fifth.response.status).toBeGreaterThanOrEqual(400);
      expect(await status(customer.sub)).toBe('locked');
      expect(auditEvents(server, 'account.locked', { sub: customer.sub })).toHaveLength(1);
      expect(auditEvents(server, 'additional_auth.failure', { sub: customer.sub })).toHaveLength(2);

      const rightAnswer = await postAndLand(browser, fifth, 'additional', { answer: customer.answer });
      expect(rightAnswer.response.status).toBeGreaterThanOrEqual(400);
      expect(rightAnswer.url.startsWith(server.issuer)).toBe(true);
      expect(auditEvents(server, 'login.success', { sub: customer.sub })).toHaveLength(0);
    });

    it('keeps counting across interactions when only the password was right in between', async () => {
      const customer = await createCustomer(server);
      await wrongPasswords(customer, 4);
      const { browser, page } = await authorize(server, client);
      const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
      expect(positionsOf(digits.html)).toHaveLength(3);
      expect(await failures(customer.sub)).toBe(4);

      await wrongPasswords(customer, 1);
      expect(await status(customer.sub)).toBe('locked');
    });

    it('a sign-in to 連携サービス管理 starts the count again after wrong passwords, but not after wrong secret answers', async () => {
      const afterPasswords = await createCustomer(server);
      await wrongPasswords(afterPasswords, 3);
      await logIntoConnections(server.issuer, afterPasswords);
      expect(await failures(afterPasswords.sub)).toBe(0);

      // someone with the password and the 利用者番号 but not the answer, on a browser new to the customer
      const customer = await createCustomer(server);
      const browser = new ClientBrowser(server.issuer);
      const toQuestion = async () => {
        const { page } = await authorize(server, client, { browser });
        const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
        const question = await postAndLand(browser, digits, 'digits', digitsFor(customer, digits.html));
        expect(question.html).toContain('追加認証入力');
        return question;
      };
      let page = await toQuestion();
      for (const guess of ['みどり', 'きいろ']) page = await postAndLand(browser, page, 'additional', { answer: guess });
      expect(await failures(customer.sub)).toBe(2);

      // the sign-in asks no answer: the wrong answers still count
      await logIntoConnections(server.issuer, customer);
      expect(await failures(customer.sub)).toBe(2);

      page = await toQuestion();
      for (const guess of ['しろ', 'くろ']) page = await postAndLand(browser, page, 'additional', { answer: guess });
      expect(await status(customer.sub)).toBe('active');
      page = await postAndLand(browser, page, 'additional', { answer: 'ちゃいろ' });
      expect(await status(customer.sub)).toBe('locked');
      expect(auditEvents(server, 'additional_auth.failure', { sub: customer.sub })).toHaveLength(5);
      expect(auditEvents(server, 'account.locked', { sub: customer.sub })).toHaveLength(1);
    });

    it('starts again from zero after a full successful authentication', async () => {
      const customer = await createCustomer(server);
      const browser = new ClientBrowser(server.issuer);
      await wrongPasswords(customer, 4, browser);
      const journey = await completeJourney(server.issuer, client, customer, { browser });
      expect(callbackParams(journey.end.url).get('code')).toBeTruthy();
      expect(await failures(customer.sub)).toBe(0);

      const afterFour = await wrongPasswords(customer, 4, browser);
      expect(await status(customer.sub)).toBe('active');
      const digits = await postAndLand(browser, afterFour, 'login', { login_id: customer.loginId, password: customer.password });
      expect(positionsOf(digits.html)).toHaveLength(3);

      await wrongPasswords(customer, 1);
      expect(await status(customer.sub)).toBe('locked');
      expect(auditEvents(server, 'account.locked', { sub: customer.sub })).toHaveLength(1);
    });
  });
});

describe('per-IP throttling (throttle.failuresPerIp = 3)', () => {
  const config = { throttle: { failuresPerIp: 3, windowSeconds: 600 } };
  let server: TestServer;
  let client: TestClient;
  beforeAll(async () => {
    server = await startJourneyServer(config);
    client = await registerPartner(server);
  });
  afterAll(() => server.close());

  function expectTooMany(page: Page): void {
    expect(page.response.status).toBe(429);
    expect(page.html).toContain('しばらくお待ちください');
    expectPageHeaders(page.response, page.html);
    expectNoInternals(page.html);
  }

  it('answers 429 once an IP has spent its failures, across accounts and on every step, while other IPs carry on', async () => {
    const ip = randomIp();
    const [alice, bob, carol] = [await createCustomer(server), await createCustomer(server), await createCustomer(server)];

    // carol is half-way through (digits asked) from this IP when the failures start
    const carolStart = await authorize(server, client, { browser: new ClientBrowser(server.issuer, ip) });
    const carolDigits = await postAndLand(carolStart.browser, carolStart.page, 'login', { login_id: carol.loginId, password: carol.password });
    expect(positionsOf(carolDigits.html)).toHaveLength(3);

    const { browser, page } = await authorize(server, client, { browser: new ClientBrowser(server.issuer, ip) });
    let current = page;
    for (const loginId of [alice.loginId, `nobody-${alice.loginId}`, bob.loginId]) {
      current = await postAndLand(browser, current, 'login', { login_id: loginId, password: 'wrong password' });
      expect(current.response.status).toBe(401);
    }

    // even the right credentials are not checked now; the 429 page comes by the GET the form is sent
    // on to (Post/Redirect/Get), with its Retry-After, once
    const answered = await post(browser, current, 'login', { login_id: alice.loginId, password: alice.password });
    expect(answered.status).toBe(303);
    const blocked = await land(browser, answered);
    expectTooMany(blocked);
    expect(blocked.response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await land(browser, await browser.get(answered.headers.get('location')!))).response.status).toBe(200);
    const aliceAgain = await authorize(server, client, { browser: new ClientBrowser(server.issuer, ip) });
    expectTooMany(await postAndLand(aliceAgain.browser, aliceAgain.page, 'login', { login_id: alice.loginId, password: alice.password }));
    expectTooMany(await postAndLand(carolStart.browser, carolDigits, 'digits', digitsFor(carol, carolDigits.html)));
    expect(auditEvents(server, 'login.success', { sub: alice.sub })).toHaveLength(0);
    expect(auditEvents(server, 'login.success', { sub: carol.sub })).toHaveLength(0);
    expect(await server.app.lockout.failuresSinceSuccess(carol.sub)).toBe(0);

    // another IP is not affected
    const elsewhere = await completeJourney(server.issuer, client, alice, { browser: new ClientBrowser(server.issuer) });
    expect(callbackParams(elsewhere.end.url).get('code')).toBeTruthy();

    // the state lives in Redis: another instance refuses the same IP
    const second = await startJourneyServer(config);
    try {
      const there = await authorize(second, client, { browser: new ClientBrowser(second.issuer, ip) });
      expect(there.page.html).toContain(TEXT.loginTitle);
      expectTooMany(await postAndLand(there.browser, there.page, 'login', { login_id: bob.loginId, password: bob.password }));
    } finally {
      await second.close();
    }
  });

  it('verifies no more than the budget of a burst of wrong passwords for different accounts sent at once; the rest are 429', async () => {
    const ip = randomIp();
    const { browser, page } = await authorize(server, client, { browser: new ClientBrowser(server.issuer, ip) });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(browser, page, 'login', { login_id: `burst-${i}-${ip}`, password: 'wrong password' })));
    await Promise.all(answers.map((answer) => answer.text()));
    // every form is sent on to its page (303; one page is kept per interaction, the last): three
    // verified (a wrong password each), seven refused by the budget (429)
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(303));
    expect(server.logs.events().filter((line) => line.event === 'login.failure' && String(line.login_id).endsWith(ip))).toHaveLength(3);
  });

  it('counts the addresses of one IPv6 /64 as one IP (a client rotating through its prefix gains nothing)', async () => {
    const prefix = `2001:db8:${randomInt(0xffff).toString(16)}:${randomInt(0xffff).toString(16)}`;
    const customer = await createCustomer(server);
    let landed: Page | undefined;
    for (const host of ['1', '2', 'abcd:1:2', '4']) {
      const { browser, page } = await authorize(server, client, { browser: new ClientBrowser(server.issuer, `${prefix}::${host}`) });
      landed = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: host === '4' ? customer.password : 'wrong password' });
    }
    expectTooMany(landed!);
    // the next /64 is another client
    const { browser, page } = await authorize(server, client, { browser: new ClientBrowser(server.issuer, `2001:db8:ffff:${randomInt(0xffff).toString(16)}::1`) });
    expect((await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password })).response.status).toBe(200);
  });

  it('does not count requests refused for their CSRF token as failed attempts', async () => {
    const customer = await createCustomer(server);
    const { browser, page } = await authorize(server, client);
    for (let i = 0; i < 5; i++) {
      const { response: refused } = await browser.follow(await post(browser, page, 'login', { login_id: customer.loginId, password: 'wrong password' }, `forged-${i}`));
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      await refused.text();
    }
    const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    expect(digits.response.status).toBe(200);
    expect(positionsOf(digits.html)).toHaveLength(3);
  });
});
