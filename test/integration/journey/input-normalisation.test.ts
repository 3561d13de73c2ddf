import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callbackParams, positionsOf } from '../../support/browserless.js';
import { digitsFor } from '../../support/journey.js';
import { createCustomer, type TestClient, type TestCustomer } from '../../support/oauth-fixtures.js';
import type { TestServer } from '../../support/test-server.js';
import { canonicalLoginId } from '../../../src/accounts/text-input.js';
import { redisKeys } from '../../../src/storage/redis-keys.js';
import { auditEvents, authorize, errorMessageOf, postAndLand, registerPartner, startJourneyServer, TEXT, titleOf, toFullWidth, type Page, type Started } from './journey-kit.js';

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startJourneyServer();
  client = await registerPartner(server);
});
afterAll(() => server.close());

/** A fresh browser logged in and past the digits: on the additional screen. */
async function atAdditional(customer: TestCustomer): Promise<Started & { page: Page }> {
  const start = await authorize(server, client);
  const digits = await postAndLand(start.browser, start.page, 'login', { login_id: customer.loginId, password: customer.password });
  const page = await postAndLand(start.browser, digits, 'digits', digitsFor(customer, digits.html));
  expect(page.html).toContain('追加認証入力');
  return { ...start, page };
}

describe('full-width digits (SPEC §3)', () => {
  it('accepts the 利用者番号 digits typed full-width', async () => {
    const customer = await createCustomer(server);
    const { browser, page } = await authorize(server, client);
    const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    const fullWidth = Object.fromEntries(Object.entries(digitsFor(customer, digits.html)).map(([name, digit]) => [name, toFullWidth(digit)]));
    expect(Object.values(fullWidth).every((digit) => /^[０-９]$/.test(digit))).toBe(true);

    const next = await postAndLand(browser, digits, 'digits', fullWidth);
    expect(next.response.status).toBe(200);
    expect(next.html).toContain('追加認証入力');
    expect(auditEvents(server, 'digits.failure', { sub: customer.sub })).toEqual([]);
  });

  it('still refuses wrong digits typed full-width', async () => {
    const customer = await createCustomer(server);
    const { browser, page } = await authorize(server, client);
    const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    const wrong = Object.fromEntries(positionsOf(digits.html).map((p) => [`digit_${p}`, toFullWidth(String((Number(customer.userNumber[p - 1]) + 1) % 10))]));
    const refused = await postAndLand(browser, digits, 'digits', wrong);
    expect(refused.response.status).toBe(401);
    expect(errorMessageOf(refused.html)).toBe('入力された利用者番号が正しくありません。');
  });
});

describe('secret answers compared after NFKC and case folding (SPEC §3)', () => {
  const matching: [string, string][] = [
    ['Blue', 'ｂｌｕｅ'],
    ['Blue', 'BLUE'],
    ['ｂｌｕｅ', 'Blue'],
    ['アオ', 'ｱｵ'],
    ['ｱｵ', 'アオ'],
    ['Ａｏ2', 'ao２'],
  ];
  for (const [registered, typed] of matching) {
    it(`accepts ${typed} for ${registered}`, async () => {
      const customer = await createCustomer(server, { answer: registered });
      const { browser, state, page } = await atAdditional(customer);
      const consent = await postAndLand(browser, page, 'additional', { answer: typed });
      expect(titleOf(consent.html)).toBe(TEXT.consentTitle);
      const end = await postAndLand(browser, consent, 'consent', {});
      expect(callbackParams(end.url).get('state')).toBe(state);
      expect(callbackParams(end.url).get('code')).toBeTruthy();
    });
  }

  for (const [registered, typed] of [['Blue', 'ｂｌｕｅｓ'], ['アオ', 'ｱｵｲ'], ['Blue', 'blu']] as const) {
    it(`refuses ${typed} for ${registered}`, async () => {
      const customer = await createCustomer(server, { answer: registered });
      const { browser, page } = await atAdditional(customer);
      const refused = await postAndLand(browser, page, 'additional', { answer: typed });
      expect(refused.response.status).toBe(401);
      expect(errorMessageOf(refused.html)).toBe('回答が正しくありません。');
      expect(auditEvents(server, 'additional_auth.failure', { sub: customer.sub })).toHaveLength(1);
    });
  }
});

describe('login IDs compared in canonical form (SPEC §4)', () => {
  it('accepts the login ID typed full-width, in capitals, with surrounding spaces', async () => {
    const customer = await createCustomer(server);
    const typed = `  ${toFullWidth(customer.loginId.toUpperCase())}　`;
    expect(typed).not.toBe(customer.loginId);
    const { browser, page } = await authorize(server, client);
    const digits = await postAndLand(browser, page, 'login', { login_id: typed, password: customer.password });
    expect(digits.response.status).toBe(200);
    expect(positionsOf(digits.html)).toHaveLength(3);
  });

  it('folds case fully: registered as Straße, signs in as STRASSE', async () => {
    const customer = await createCustomer(server, { loginId: `Straße-${Date.now()}` });
    const { browser, page } = await authorize(server, client);
    const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId.toUpperCase(), password: customer.password });
    expect(customer.loginId.toUpperCase()).toContain('STRASSE');
    expect([digits.response.status, positionsOf(digits.html).length]).toEqual([200, 3]);
  });

  it('still finds a customer keyed before full case folding (ß kept as ß) by the ID as registered', async () => {
    const customer = await createCustomer(server, { loginId: `weiß-${Date.now()}` });
    // the index as an earlier version wrote it: NFKC and toLowerCase only
    const asBefore = customer.loginId.toLowerCase();
    await server.app.store.kv.delete(redisKeys.loginId(canonicalLoginId(customer.loginId)!));
    await server.app.store.kv.set(redisKeys.loginId(asBefore), customer.sub);
    const { browser, page } = await authorize(server, client);
    const digits = await postAndLand(browser, page, 'login', { login_id: customer.loginId, password: customer.password });
    expect([digits.response.status, positionsOf(digits.html).length]).toEqual([200, 3]);
  });

  it('refuses a login ID holding a variation selector with the generic message (a zero-width space: the whole form, 400)', async () => {
    const customer = await createCustomer(server);
    for (const [smuggled, status] of [[`${customer.loginId}\ufe0f`, 401], [`${customer.loginId}\u200b`, 400]] as const) {
      const { browser, page } = await authorize(server, client);
      const refused = await postAndLand(browser, page, 'login', { login_id: smuggled, password: customer.password });
      expect([refused.response.status, errorMessageOf(refused.html)]).toEqual([status, TEXT.generic]);
      expect(auditEvents(server, 'login.success', { sub: customer.sub })).toEqual([]);
    }
  });
});
