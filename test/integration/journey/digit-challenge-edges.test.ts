import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Browserless, csrfOf, positionsOf } from '../../support/browserless.js';
import { digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { auditEvents, authorize, errorMessageOf, land, postAndLand, registerPartner, startJourneyServer, toFullWidth, type Page } from './journey-kit.js';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  // no lockout in the way of the many wrong answers below
  server = await startJourneyServer({ lockout: { maxFailures: 100 } });
  client = await registerPartner(server);
});
afterAll(() => server.close());

const NOT_DIGITS = '各欄に数字を1桁ずつ入力してください。';

/** A fresh browser, logged in: on the digit screen. */
async function atDigits(customer: TestCustomer): Promise<Page & { browser: Browserless }> {
  const { browser, page } = await authorize(server, client);
  const digits = await postAndLand(browser as never, page, 'login', { login_id: customer.loginId, password: customer.password });
  expect(positionsOf(digits.html)).toHaveLength(3);
  return { ...digits, browser };
}

/** The right digits except one lookalike of the right digit in the first position. */
function withLookalike(customer: TestCustomer, page: Page, lookalike: (digit: string) => string): Record<string, string> {
  const fields = digitsFor(customer, page.html);
  const [first] = Object.keys(fields);
  return { ...fields, [first!]: lookalike(fields[first!]!) };
}

async function storedDraw(customer: TestCustomer) {
  return server.app.digitPositions.record(customer.sub);
}

describe('利用者番号 inputs: ASCII and full-width digits only, one per input (SPEC §3); anything else is refused without counting against the account', () => {
  const lookalikes: [string, (digit: string) => string][] = [
    ['a circled digit (①)', (d) => (d === '0' ? '⓪' : String.fromCodePoint(0x2460 + Number(d) - 1))],
    ['a mathematical bold digit (𝟏)', (d) => String.fromCodePoint(0x1d7ce + Number(d))],
    ['a superscript digit (¹)', (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]!],
    ['the digit with spaces around it', (d) => ` ${d} `],
    ['the digit with an ideographic space', (d) => `\u3000${toFullWidth(d)}`],
    ['two digits', (d) => `${d}${d}`],
    ['an Arabic-Indic digit', (d) => String.fromCodePoint(0x0660 + Number(d))],
  ];
  for (const [name, lookalike] of lookalikes) {
    it(`refuses ${name} as the digit, as a typing slip and not a wrong guess`, async () => {
      const customer = await createCustomer(server);
      const digits = await atDigits(customer);
      const refused = await postAndLand(digits.browser as never, digits, 'digits', withLookalike(customer, digits, lookalike));
      expect(refused.response.status).toBe(400);
      expect(errorMessageOf(refused.html)).toBe(NOT_DIGITS);
      expect(positionsOf(refused.html)).toEqual(positionsOf(digits.html));
      expect(auditEvents(server, 'digits.failure', { sub: customer.sub })).toHaveLength(0);
      expect(await server.app.lockout.failuresSinceSuccess(customer.sub)).toBe(0);
      const next = await postAndLand(digits.browser as never, refused, 'digits', digitsFor(customer, refused.html));
      expect(next.html).toContain('追加認証入力');
    });
  }

  it('accepts ASCII and full-width digits mixed', async () => {
    const customer = await createCustomer(server);
    const digits = await atDigits(customer);
    const next = await postAndLand(digits.browser as never, digits, 'digits', withLookalike(customer, digits, toFullWidth));
    expect(next.html).toContain('追加認証入力');
  });

  it('refuses a circled digit in 連携サービス管理 too, without counting it', async () => {
    const customer = await createCustomer(server);
    const browser = new Browserless(server.issuer);
    let html = await (await browser.get('/account/connections')).text();
    await browser.post('/account/connections/login', { csrf: csrfOf(html), login_id: customer.loginId, password: customer.password });
    html = await (await browser.get('/account/connections')).text();
    const fields = digitsFor(customer, html);
    const [first] = Object.keys(fields);
    const circled = { ...fields, [first!]: String.fromCodePoint(0x2460 + Number(fields[first!]) - 1).replace('⑟', '⓪') };
    const refused = await land(browser, await browser.post('/account/connections/digits', { csrf: csrfOf(html), ...circled }));
    expect(refused.response.status).toBe(400);
    expect(refused.html).toContain(NOT_DIGITS);
    expect(await server.app.lockout.failuresSinceSuccess(customer.sub)).toBe(0);
  });
});

describe('digit positions fixed per customer until answered correctly (SPEC §3)', () => {
  it('asks the same positions after a wrong answer, a reload, an abandoned screen, a new interaction and in 連携サービス管理', async () => {
    const customer = await createCustomer(server);
    const first = await atDigits(customer);
    const asked = positionsOf(first.html);

    const wrong = Object.fromEntries(asked.map((p) => [`digit_${p}`, String((Number(customer.userNumber[p - 1]) + 1) % 10)]));
    const refused = await postAndLand(first.browser as never, first, 'digits', wrong);
    expect(refused.response.status).toBe(401);
    expect(positionsOf(refused.html)).toEqual(asked);

    const reloaded = await land(first.browser, await first.browser.get(new URL(first.url).pathname));
    expect(positionsOf(reloaded.html)).toEqual(asked);

    // abandoned (and the wrong one), then new interactions in new browsers, repeatedly
    for (let attempt = 0; attempt < 5; attempt++) {
      const again = await atDigits(customer);
      expect(positionsOf(again.html)).toEqual(asked);
    }

    const browser = new Browserless(server.issuer);
    let html = await (await browser.get('/account/connections')).text();
    await browser.post('/account/connections/login', { csrf: csrfOf(html), login_id: customer.loginId, password: customer.password });
    html = await (await browser.get('/account/connections')).text();
    expect(positionsOf(html)).toEqual(asked);
    expect((await storedDraw(customer))?.positions).toEqual(asked);
  });

  it('forgets the positions after a correct answer; the next interaction draws new ones and keeps them', async () => {
    const customer = await createCustomer(server);
    const first = await atDigits(customer);
    const before = await storedDraw(customer);
    expect(before?.positions).toEqual(positionsOf(first.html));

    const next = await postAndLand(first.browser as never, first, 'digits', digitsFor(customer, first.html));
    expect(next.html).toContain('追加認証入力');
    expect(await storedDraw(customer)).toBeUndefined();

    const second = await atDigits(customer);
    const after = await storedDraw(customer);
    expect(after?.draw).not.toBe(before?.draw);
    expect(positionsOf(second.html)).toEqual(after?.positions);
    expect(positionsOf((await atDigits(customer)).html)).toEqual(after?.positions);

    // a fresh CSPRNG draw each time: within a few correct answers the positions change
    const seen = new Set([positionsOf(first.html).join(','), positionsOf(second.html).join(',')]);
    let page = second;
    for (let attempt = 0; attempt < 8 && seen.size < 2; attempt++) {
      await postAndLand(page.browser as never, page, 'digits', digitsFor(customer, page.html));
      page = await atDigits(customer);
      seen.add(positionsOf(page.html).join(','));
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('forgets the positions after a correct answer in 連携サービス管理; the next login draws new ones', async () => {
    const customer = await createCustomer(server);
    const browser = new Browserless(server.issuer);
    let html = await (await browser.get('/account/connections')).text();
    await browser.post('/account/connections/login', { csrf: csrfOf(html), login_id: customer.loginId, password: customer.password });
    html = await (await browser.get('/account/connections')).text();
    const before = await storedDraw(customer);
    expect(before?.positions).toEqual(positionsOf(html));
    expect((await browser.post('/account/connections/digits', { csrf: csrfOf(html), ...digitsFor(customer, html) })).status).toBe(303);
    expect(await storedDraw(customer)).toBeUndefined();
    const next = await atDigits(customer);
    const after = await storedDraw(customer);
    expect(after?.draw).not.toBe(before?.draw);
    expect(positionsOf(next.html)).toEqual(after?.positions);
  });

  it('asks the customer’s new positions in an interaction opened before a correct answer elsewhere', async () => {
    const customer = await createCustomer(server);
    const stale = await atDigits(customer);
    const other = await atDigits(customer);
    await postAndLand(other.browser as never, other, 'digits', digitsFor(customer, other.html));
    // the next positions are drawn at random and can be the very ones the stale page asks (1 draw in 120
    // for 3 of 10 digits), and then its answer is simply right: draw until they differ
    let drawn = await atDigits(customer);
    for (let attempt = 0; attempt < 10 && positionsOf(drawn.html).join() === positionsOf(stale.html).join(); attempt++) {
      await postAndLand(drawn.browser as never, drawn, 'digits', digitsFor(customer, drawn.html));
      drawn = await atDigits(customer);
    }
    const current = (await storedDraw(customer))!.positions;
    expect(current).not.toEqual(positionsOf(stale.html));
    const answered = await postAndLand(stale.browser as never, stale, 'digits', digitsFor(customer, stale.html));
    expect(positionsOf(answered.html)).toEqual(current);
    expect((await storedDraw(customer))?.positions).toEqual(current);
    expect(auditEvents(server, 'digits.failure', { sub: customer.sub })).toEqual([]);
  });
});
